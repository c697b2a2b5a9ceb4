// Chaos: IndexedDB refuses to open (private modes, a broken profile) or refuses writes (over
// quota). The queue must carry on in memory, deliver, then return to IndexedDB when it works
// again — after which a reload during an outage loses nothing.
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  allStored,
  clearFaults,
  drained,
  expectStoredOnce,
  openPage,
  pageUrl,
  PAGES,
  queueOf,
  ready,
  report,
  setFaults,
  trackMany,
  watchBatches,
} from '../support/chaos';
import { useDemoAndBrowser } from '../support/demo';
import { waitFor } from '../support/poll';

const env = useDemoAndBrowser({ extraRoot: PAGES });

type Breakage = 'open' | 'quota';

/**
 * Break IndexedDB in every page of the context until sessionStorage says it is healed, and let
 * the test move the page's clock forward (the queue tries IndexedDB again only every 30 s).
 */
const breakIndexedDb = (context: BrowserContext, how: Breakage) =>
  context.addInitScript((how: Breakage) => {
    const broken = () => sessionStorage.getItem('chaos-idb') !== 'healed';
    if (how === 'open') {
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
        if (broken()) throw new DOMException('The user denied permission to access the database.', 'UnknownError');
        return open.apply(this, args);
      };
    } else {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (broken()) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    }
    const now = Date.now;
    const offset = () => Number(sessionStorage.getItem('chaos-clock') ?? 0);
    let skip = offset();
    Date.now = () => now() + skip;
    addEventListener('chaos-clock', () => (skip = offset()));
  }, how);

const scenario = async (how: Breakage, name: string) => {
  const { demo, browser } = env;
  const context = await browser.newContext();
  await breakIndexedDb(context, how);
  const seen = watchBatches(context);
  const page = await openPage(context, pageUrl(demo, 'delivery.html'));
  const run = `idb-${how}`;

  // Broken: the queue falls back to memory and still delivers.
  await trackMany(page, run, 100);
  await waitFor(async () => (await queueOf(page)).storage === 'memory', { message: 'the queue did not fall back to memory' });
  await allStored(demo, run, 100);

  // Healed (and 31 s later for the queue): the next writes go to IndexedDB again.
  await page.evaluate(() => {
    sessionStorage.setItem('chaos-idb', 'healed');
    sessionStorage.setItem('chaos-clock', '31000');
    dispatchEvent(new Event('chaos-clock'));
  });
  await setFaults(demo, { status: 503 });
  try {
    await trackMany(page, run, 100, 100);
    await waitFor(
      async () => {
        const queue = await queueOf(page);
        return queue.storage === 'indexeddb' && queue.size >= 100;
      },
      { message: 'the queue did not return to IndexedDB' },
    );
    // Durable again: a reload during the outage keeps the events.
    await page.reload();
    await ready(page);
  } finally {
    await clearFaults(demo);
  }
  const counts = await allStored(demo, run, 200);
  await drained(page);
  expectStoredOnce(demo, run, 200);
  expect((await queueOf(page)).storage).toBe('indexeddb');
  report(name, counts, { 'in memory': 100, 'in IndexedDB after recovery': 100, requests: seen.length });
  await context.close();
};

describe('chaos: IndexedDB failures', () => {
  it('keeps memory-held events across a reload during an outage when IndexedDB never works', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    await breakIndexedDb(context, 'open');
    const page = await openPage(context, pageUrl(demo, 'delivery.html'));
    await drained(page);
    await setFaults(demo, { status: 503 });
    try {
      await trackMany(page, 'idb-never', 100);
      await waitFor(async () => (await queueOf(page)).size >= 100, { message: 'events were not queued' });
      expect((await queueOf(page)).storage).toBe('memory');
      await page.reload(); // the page hide copies the memory queue to localStorage
      await ready(page);
    } finally {
      await clearFaults(demo);
    }
    const counts = await allStored(demo, 'idb-never', 100);
    await drained(page);
    expectStoredOnce(demo, 'idb-never', 100);
    expect((await queueOf(page)).storage).toBe('memory');
    report('chaos idb-unavailable-reload', counts);
    await context.close();
  });

  it('falls back to memory when IndexedDB cannot open, delivers, then recovers', () => scenario('open', 'chaos idb-unavailable'));
  it('falls back to memory when IndexedDB is over quota, delivers, then recovers', () => scenario('quota', 'chaos idb-over-quota'));
});

// Delivery against the reference collector when things go wrong (issue 3): manual calls, a
// reload in the middle of a flush, a 503 window, 429 with Retry-After, offline, two tabs, and
// the background chunk (delivery and the ledger) failing to load.
// Every check is made against the collector's database.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/schema';
import type { Tracker } from '../../src/types';
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
  resent,
  setFaults,
  tally,
  trackMany,
  watchBatches,
} from './support/chaos';
import { storedEvents, useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser({ extraRoot: PAGES });

describe('delivery through faults', () => {
  it('stores manual track, identify and page calls', async () => {
    const context = await env.browser.newContext();
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    const anonymousId = await page.evaluate(() => {
      const { shoptrail } = window as unknown as { shoptrail: Tracker };
      shoptrail.track('custom-event', { name: 'manual-call', properties: { plan: 'gold' } });
      shoptrail.identify('customer-manual-1', { tier: 'gold' });
      shoptrail.page({ title: 'Manual page call' });
      return new Promise<string>((resolve) => {
        const off = shoptrail.on('queued', ({ event }) => (off(), resolve(event.anonymousId)));
        shoptrail.track('custom-event', { name: 'manual-call-last' });
      });
    });
    const stored = await waitFor<Envelope[]>(
      () => {
        const events = storedEvents(env.demo, { anonymousId });
        const types = new Set(events.map((event) => (event.type === 'custom-event' ? (event.body as { name: string }).name : event.type)));
        const all = ['manual-call', 'manual-call-last', 'entity-identified', 'web-page-visited'].every((t) => types.has(t));
        return (all && events) as Envelope[];
      },
      { message: 'manual calls were not all stored' },
    );
    const identified = stored.find((event) => event.type === 'entity-identified')!;
    expect(identified.body).toMatchObject({ customerId: 'customer-manual-1', traits: { tier: 'gold' } });
    expect(stored.filter((event) => event.type === 'custom-event')).toHaveLength(2);
    console.log(`delivery manual-calls: stored ${stored.length} types ${[...new Set(stored.map((event) => event.type))].join(',')}`);
    await context.close();
  });

  it('loses nothing when the page reloads in the middle of a flush', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await setFaults(env.demo, { delayMs: 800 });
    try {
      await trackMany(page, 'reload-mid-flush', 300);
      await waitFor(() => seen.some((batch) => batch.text.includes('reload-mid-flush') && batch.status === undefined), {
        message: 'no flush was in flight',
      });
      await page.reload();
      await ready(page);
    } finally {
      await clearFaults(env.demo);
    }
    const counts = await allStored(env.demo, 'reload-mid-flush', 300);
    await drained(page);
    expectStoredOnce(env.demo, 'reload-mid-flush', 300);
    report('delivery reload-mid-flush', counts, { resent: resent(seen) });
    await context.close();
  });

  it('loses nothing in a 503 window and stores no duplicate after recovery', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await setFaults(env.demo, { status: 503, forMs: 1500 });
    await trackMany(page, 'window-503', 200);
    const counts = await allStored(env.demo, 'window-503', 200);
    await drained(page);
    expectStoredOnce(env.demo, 'window-503', 200);
    expect(seen.some((batch) => batch.status === 503)).toBe(true);
    report('delivery 503-window', counts, { refused: seen.filter((batch) => batch.status === 503).length });
    await context.close();
  });

  it('honours 429 Retry-After: no request before the delay has passed', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await drained(page); // start-up events out of the way, so the 429 meets our batch
    await setFaults(env.demo, { status: 429, retryAfter: 2, count: 1 });
    await trackMany(page, 'retry-after', 50);
    const counts = await allStored(env.demo, 'retry-after', 50);
    const limited = seen.findIndex((batch) => batch.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    const next = seen[limited + 1]!;
    const waited = next.at - seen[limited]!.at;
    expect(waited).toBeGreaterThanOrEqual(2000 - 50); // the browser's clock and ours tick alike
    expectStoredOnce(env.demo, 'retry-after', 50);
    report('delivery 429-retry-after', counts, { 'waited ms': Math.round(waited) });
    await context.close();
  });

  it('honours 429 Retry-After on the next page too', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await drained(page);
    await setFaults(env.demo, { status: 429, retryAfter: 2, count: 1 });
    await trackMany(page, 'retry-after-reload', 50);
    await waitFor(() => seen.some((batch) => batch.status === 429), { message: 'no request met the 429' });
    await page.reload();
    await ready(page);
    const counts = await allStored(env.demo, 'retry-after-reload', 50);
    await drained(page);
    const limited = seen.findIndex((batch) => batch.status === 429);
    const waited = seen[limited + 1]!.at - seen[limited]!.at;
    expect(waited).toBeGreaterThanOrEqual(2000 - 50);
    expectStoredOnce(env.demo, 'retry-after-reload', 50);
    report('delivery 429-retry-after-reload', counts, { 'waited ms': Math.round(waited) });
    await context.close();
  });

  it('waits while offline and delivers once back online', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await drained(page);
    await context.setOffline(true);
    await trackMany(page, 'offline', 100);
    await waitFor(async () => (await queueOf(page)).size >= 100, { message: 'events were not queued offline' });
    // Nothing is even tried while the browser says it is offline.
    const triedOffline = seen.filter((batch) => batch.text.includes('"run":"offline"')).length;
    expect(tally(env.demo, 'offline', 100).stored).toBe(0);
    await context.setOffline(false);
    const counts = await allStored(env.demo, 'offline', 100);
    await drained(page);
    expectStoredOnce(env.demo, 'offline', 100);
    expect(triedOffline).toBe(0);
    report('delivery offline-online', counts);
    await context.close();
  });

  it('keeps events queued while the background chunk cannot load, then delivers and counts them once it does', async () => {
    const context = await env.browser.newContext();
    let blocked = true;
    await context.route(/\/shoptrail-background\.js$/, (route) => (blocked ? route.fulfill({ status: 404, body: 'not here' }) : route.continue()));
    await context.addInitScript(() => {
      const w = window as any;
      w.warnings = [];
      w.shoptrail = Object.assign((...args: unknown[]) => (w.shoptrail.q ||= []).push([args]), {});
      w.shoptrail('on', 'warning', (warning: { code: string }) => w.warnings.push(warning.code));
    });
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await page.waitForFunction(() => (window as any).warnings.includes('background-chunk'));
    await trackMany(page, 'no-background', 50);
    const before = await page.evaluate(async () => {
      const { shoptrail } = window as unknown as { shoptrail: Tracker };
      return { flush: await shoptrail.flush(), usage: await shoptrail.usage() };
    });
    expect(before.flush.delivered).toBe(0);
    expect(before.usage.queue.size).toBeGreaterThanOrEqual(50);
    expect(before.usage.activities).toBeUndefined(); // no ledger without its chunk: the queue only
    expect(tally(env.demo, 'no-background', 50).stored).toBe(0);

    blocked = false; // the next flush asks for the chunk again
    await page.evaluate(() => (window as unknown as { shoptrail: Tracker }).shoptrail.flush());
    const counts = await allStored(env.demo, 'no-background', 50);
    await drained(page);
    expectStoredOnce(env.demo, 'no-background', 50);
    const usage = await page.evaluate(() => (window as unknown as { shoptrail: Tracker }).shoptrail.usage());
    expect(usage.byType?.['custom-event']).toMatchObject({ accepted: 50, pending: 0 });
    report('delivery background-chunk', counts);
    await context.close();
  });

  it('delivers everything exactly once when two tabs track at the same time', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const url = pageUrl(env.demo, 'delivery.html');
    const [one, two] = await Promise.all([openPage(context, url), openPage(context, url)]);
    // Interleaved bursts: each tab's 150 events, in three rounds.
    for (let round = 0; round < 3; round++) {
      await Promise.all([trackMany(one!, 'two-tabs', 50, round * 100), trackMany(two!, 'two-tabs', 50, round * 100 + 50)]);
    }
    const counts = await allStored(env.demo, 'two-tabs', 300);
    await Promise.all([drained(one!), drained(two!)]);
    expectStoredOnce(env.demo, 'two-tabs', 300);
    report('delivery two-tabs', counts, { requests: seen.length, resent: resent(seen) });
    await context.close();
  });
});

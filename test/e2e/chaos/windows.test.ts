// Chaos: the collector misbehaves for a while — 503s, 429s with Retry-After, answers lost
// after the events were stored — and the browser goes offline and back, repeatedly.
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
  report,
  resent,
  setFaults,
  trackMany,
  watchBatches,
} from '../support/chaos';
import { useDemoAndBrowser } from '../support/demo';
import { waitFor } from '../support/poll';

const env = useDemoAndBrowser({ extraRoot: PAGES });

describe('chaos: collector windows and offline periods', () => {
  it('stores everything once through a 503 window', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(demo, 'delivery.html'));
    // A burst before the window, two inside it, one as it ends.
    await trackMany(page, 'window-503', 100);
    await allStored(demo, 'window-503', 100);
    await setFaults(demo, { status: 503, forMs: 1500 });
    await trackMany(page, 'window-503', 100, 100);
    await waitFor(() => seen.some((batch) => batch.status === 503), { message: 'no request met the window' });
    await trackMany(page, 'window-503', 100, 200);
    const firstRefusal = seen.findIndex((batch) => batch.status === 503);
    await waitFor(() => seen.length > firstRefusal + 1, { message: 'no retry after the first 503' });
    await trackMany(page, 'window-503', 100, 300);
    const counts = await allStored(demo, 'window-503', 400);
    await drained(page);
    expectStoredOnce(env.demo, 'window-503', 400);
    const refused = seen.filter((batch) => batch.status === 503).length;
    expect(refused).toBeGreaterThan(0);
    report('chaos 503-window', counts, { refused });
    await context.close();
  });

  it('stores everything once through a 429 window and never retries before Retry-After', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(demo, 'delivery.html'));
    await drained(page);
    await setFaults(demo, { status: 429, retryAfter: 1, forMs: 1500 });
    for (let burst = 0; burst < 3; burst++) await trackMany(page, 'window-429', 100, burst * 100);
    const counts = await allStored(demo, 'window-429', 300);
    await drained(page);
    expectStoredOnce(env.demo, 'window-429', 300);
    const limited = seen.flatMap((batch, i) => (batch.status === 429 ? [i] : []));
    expect(limited.length).toBeGreaterThan(0);
    let shortest = Infinity;
    for (const i of limited) {
      const next = seen[i + 1];
      if (next) shortest = Math.min(shortest, next.at - seen[i]!.at);
    }
    expect(shortest).toBeGreaterThanOrEqual(1000 - 50);
    report('chaos 429-window', counts, { limited: limited.length, 'shortest wait ms': Math.round(shortest) });
    await context.close();
  });

  it('stores once what was stored but never acknowledged (storeThenFail)', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(demo, 'delivery.html'));
    await drained(page);
    await setFaults(demo, { storeThenFail: true, count: 3 });
    await trackMany(page, 'store-then-fail', 300);
    const counts = await allStored(demo, 'store-then-fail', 300);
    await drained(page);
    expectStoredOnce(env.demo, 'store-then-fail', 300);
    // The unacknowledged batches were sent again, and the collector recognised them.
    expect(resent(seen)).toBeGreaterThan(0);
    report('chaos store-then-fail', counts, { resent: resent(seen) });
    await context.close();
  });

  it('stores everything once across offline periods, some cutting a flush', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(demo, 'delivery.html'));
    await drained(page);
    await setFaults(demo, { delayMs: 400 });
    const periods = 3;
    try {
      for (let period = 0; period < periods; period++) {
        const before = seen.length;
        await trackMany(page, 'offline-periods', 100, period * 150);
        await waitFor(() => seen.slice(before).some((batch) => batch.status === undefined), { message: 'no flush in flight' });
        await context.setOffline(true);
        await trackMany(page, 'offline-periods', 50, period * 150 + 100);
        await waitFor(async () => (await queueOf(page)).size >= 50, { message: 'events were not queued offline' });
        await context.setOffline(false);
      }
    } finally {
      await context.setOffline(false);
      await clearFaults(demo);
    }
    const tracked = periods * 150;
    const counts = await allStored(demo, 'offline-periods', tracked);
    await drained(page);
    expectStoredOnce(env.demo, 'offline-periods', tracked);
    report('chaos offline-periods', counts, { periods, resent: resent(seen) });
    await context.close();
  });

  it('stores everything once when the tab flushing for all is closed mid-flush', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const url = pageUrl(demo, 'delivery.html');
    const [first, second] = await Promise.all([openPage(context, url), openPage(context, url)]);
    await Promise.all([drained(first!), drained(second!)]);
    await setFaults(demo, { delayMs: 800 });
    try {
      const before = seen.length;
      await trackMany(first!, 'tab-closed', 200);
      await waitFor(() => seen.slice(before).some((batch) => batch.status === undefined && batch.text.includes('"run":"tab-closed"')), {
        message: 'no flush in flight',
      });
      await first!.close(); // its Web Lock goes with it; the other tab takes over the shared queue
    } finally {
      await clearFaults(demo);
    }
    await trackMany(second!, 'tab-closed', 100, 200);
    const counts = await allStored(demo, 'tab-closed', 300);
    await drained(second!);
    expectStoredOnce(env.demo, 'tab-closed', 300);
    report('chaos tab-closed-mid-flush', counts, { resent: resent(seen) });
    await context.close();
  });

  it('stores everything once when three tabs track at once through a 503 window', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const url = pageUrl(demo, 'delivery.html');
    const tabs = await Promise.all([openPage(context, url), openPage(context, url), openPage(context, url)]);
    const perBurst = 50;
    for (let burst = 0; burst < 4; burst++) {
      if (burst === 2) await setFaults(demo, { status: 503, forMs: 1000 });
      await Promise.all(tabs.map((tab, t) => trackMany(tab, 'three-tabs', perBurst, (burst * tabs.length + t) * perBurst)));
    }
    const tracked = 4 * tabs.length * perBurst;
    const counts = await allStored(demo, 'three-tabs', tracked);
    await Promise.all(tabs.map((tab) => drained(tab)));
    expectStoredOnce(env.demo, 'three-tabs', tracked);
    report('chaos three-tabs', counts, { tabs: tabs.length, requests: seen.length, resent: resent(seen) });
    await context.close();
  });
});

// Chaos: more than a keepalive request can carry is waiting when the page goes away, and the
// browser's clock is hours off the collector's.
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_BYTES } from '../../../src/schema';
import {
  allStored,
  drained,
  expectStoredOnce,
  openPage,
  pageUrl,
  PAGES,
  queueOf,
  ready,
  receivedAt,
  report,
  resent,
  storedRun,
  trackMany,
  watchBatches,
} from '../support/chaos';
import { useDemoAndBrowser } from '../support/demo';
import { waitFor } from '../support/poll';

const env = useDemoAndBrowser({ extraRoot: PAGES });

describe('chaos: page hide and clocks', () => {
  it('sends at most 64 KiB on page hide and the rest from the next page, each event once', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    // hide.html flushes only at start-up and on hide.
    const page = await openPage(context, pageUrl(demo, 'hide.html'));
    await drained(page);
    const tracked = 150;
    await trackMany(page, 'hide-64k', tracked, 0, 1000); // ~1.1 KB each: about 165 KB waiting
    await waitFor(async () => (await queueOf(page)).size >= tracked, { message: 'events were not queued' });
    expect(seen.filter((batch) => batch.text.includes('"run":"hide-64k"'))).toEqual([]);

    await page.reload(); // page hide: the first 64 KiB leave now, the rest stay queued
    await ready(page);
    const arrived = Date.now(); // the next page flushes no sooner than 1 s after this
    const counts = await allStored(demo, 'hide-64k', tracked);
    await drained(page);
    expectStoredOnce(demo, 'hide-64k', tracked);

    // Playwright does not see the keepalive request of a page being unloaded; the collector
    // does: what it received before the next page had even started came from the page hide.
    const events = storedRun(demo, 'hide-64k');
    const received = receivedAt(
      demo,
      events.map((event) => event.id),
    );
    const onHide = events.filter((event) => received.get(event.id)! < arrived);
    const hideBytes = onHide.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)) + 1, 0);
    expect(onHide.length).toBeGreaterThan(0);
    expect(onHide.length).toBeLessThan(tracked); // it did not all fit
    expect(hideBytes).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    const batches = seen.filter((batch) => batch.text.includes('"run":"hide-64k"'));
    for (const batch of batches) expect(Buffer.byteLength(batch.text)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    // The next page sent again what had left on hide; the collector absorbed it.
    expect(resent(seen)).toBe(onHide.length);
    report('chaos hide-over-64k', counts, { 'sent on hide': onHide.length, 'event bytes on hide': hideBytes, resent: resent(seen) });
    await context.close();
  });

  for (const hours of [2, -2]) {
    it(`stores events from a browser whose clock is ${hours > 0 ? '+' : ''}${hours} h off, with the collector's own receive time`, async () => {
      const { demo, browser } = env;
      const skew = hours * 3_600_000;
      const context = await browser.newContext();
      await context.addInitScript((skew: number) => {
        const Real = Date;
        class Skewed extends Real {
          constructor(...args: unknown[]) {
            if (args.length === 0) super(Real.now() + skew);
            else super(...(args as [number]));
          }
          static override now() {
            return Real.now() + skew;
          }
        }
        (window as unknown as { Date: DateConstructor }).Date = Skewed as DateConstructor;
      }, skew);
      const page = await openPage(context, pageUrl(demo, 'delivery.html'));
      expect(Math.abs((await page.evaluate(() => Date.now())) - (Date.now() + skew))).toBeLessThan(60_000);
      const run = `clock${hours > 0 ? '+' : ''}${hours}h`;
      const before = Date.now();
      await trackMany(page, run, 100);
      const counts = await allStored(demo, run, 100);
      await drained(page);
      const after = Date.now();
      expectStoredOnce(demo, run, 100);

      // The event keeps the browser's time; the collector records its own.
      const events = storedRun(demo, run);
      const received = receivedAt(
        demo,
        events.map((event) => event.id),
      );
      let worstReceived = 0;
      for (const event of events) {
        const created = Date.parse(event.createdAt);
        expect(created).toBeGreaterThanOrEqual(before + skew - 1000);
        expect(created).toBeLessThanOrEqual(after + skew + 1000);
        const at = received.get(event.id)!;
        expect(at).toBeGreaterThanOrEqual(before - 1000);
        expect(at).toBeLessThanOrEqual(after + 1000);
        worstReceived = Math.max(worstReceived, Math.abs(at - before));
      }
      report(`chaos clock-skew ${hours > 0 ? '+' : ''}${hours}h`, counts, { 'received within ms': worstReceived });
      await context.close();
    });
  }
});

// The core tracker's promise (issue 2), in real Chromium against the reference collector on
// another origin: the script tag starts on its own, 1,000 track() calls are stored once each
// and valid, an outage followed by a reload loses nothing, and invalid events never leave.
import { describe, expect, it } from 'vitest';
import type { Tracker, TrackResult } from '../../src/types';
import { validateEnvelope } from '../../src/schema';
import {
  allStored,
  clearFaults,
  drained,
  expectStoredOnce,
  openPage,
  pageUrl,
  PAGES,
  ready,
  report,
  setFaults,
  storedRun,
  tally,
  trackMany,
  watchBatches,
} from './support/chaos';
import { storedEvents, useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser({ extraRoot: PAGES });

describe('delivery from the script tag', () => {
  it('starts cross-origin from the tag and stores 1,000 track() calls once each, all valid', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    expect(new URL(env.demo.storeUrl).origin).not.toBe(new URL(env.demo.collectorUrl).origin);

    const { usPerCall, failed } = await trackMany(page, 'thousand', 1000);
    expect(failed).toBe(0);
    const counts = await allStored(env.demo, 'thousand', 1000);
    await drained(page);
    expectStoredOnce(env.demo, 'thousand', 1000);
    for (const event of storedRun(env.demo, 'thousand')) expect(validateEnvelope(event).ok).toBe(true);
    // CORS-simple requests: no preflight, and none failed.
    expect(seen.filter((batch) => batch.method !== 'POST')).toEqual([]);
    expect(seen.filter((batch) => batch.failed)).toEqual([]);
    report('delivery cross-origin-1000', counts, { requests: seen.length, 'µs/track': usPerCall.toFixed(1) });
    await context.close();
  });

  it('keeps 100 events tracked during a 503 outage across a reload and stores them once after recovery', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await setFaults(env.demo, { status: 503 });
    try {
      await trackMany(page, 'outage-reload', 100);
      await waitFor(() => seen.some((batch) => batch.status === 503), { message: 'no request met the outage' });
      await page.reload();
      await ready(page);
      expect(tally(env.demo, 'outage-reload', 100).stored).toBe(0);
    } finally {
      await clearFaults(env.demo);
    }
    const counts = await allStored(env.demo, 'outage-reload', 100);
    await drained(page);
    expectStoredOnce(env.demo, 'outage-reload', 100);
    report('delivery outage-reload', counts, { refused: seen.filter((batch) => batch.status === 503).length });
    await context.close();
  });

  it('never sends invalid or platform-only events, and never throws into the page', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    const results = await page.evaluate(() => {
      const { shoptrail } = window as unknown as { shoptrail: Tracker };
      const calls: Array<() => TrackResult> = [
        () => shoptrail.track('no-such-event-marker', {}),
        () => shoptrail.track('cart-abandoned', { cartId: 'platform-only-marker' }),
        () => shoptrail.track('email-opened', { emailId: 'platform-only-marker' }),
        () => shoptrail.track('shoptrail-diagnostic', { marker: 'sdk-only-marker' }),
        () => shoptrail.track('custom-event', { name: '  bad name marker ', properties: {} }),
        () => shoptrail.track('custom-event', { properties: { marker: 'invalid-body-marker' } }),
        () => shoptrail.track('product-visited', { marker: 'invalid-body-marker' }),
        () => shoptrail.track('purchase', 'invalid-body-marker'),
        () => shoptrail.track(undefined as unknown as string, null),
      ];
      return calls.map((call) => {
        try {
          const result = call();
          return { threw: false, ok: result.ok, code: 'error' in result ? result.error.code : undefined };
        } catch {
          return { threw: true, ok: false, code: undefined };
        }
      });
    });
    for (const result of results) {
      expect(result.threw).toBe(false);
      expect(result.ok).toBe(false);
      expect(result.code).toBeTruthy();
    }
    // A valid event afterwards goes out, so the watch covers a real flush.
    await trackMany(page, 'after-invalid', 1);
    await allStored(env.demo, 'after-invalid', 1);
    await drained(page);
    const sent = seen.map((batch) => batch.text).join('\n');
    expect(sent).toContain('after-invalid');
    expect(sent).not.toMatch(/marker|cart-abandoned|email-opened|shoptrail-diagnostic/);
    const stored = storedEvents(env.demo)
      .map((event) => JSON.stringify(event))
      .join('\n');
    expect(stored).not.toMatch(/marker/);
    console.log(`delivery invalid-never-sent: refused ${results.length} sent 0 requests ${seen.length}`);
    await context.close();
  });
});

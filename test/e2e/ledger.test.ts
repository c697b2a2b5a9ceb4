// Cost accounting end to end, in Chromium against the demo collector: the browser's ledger
// agrees with what the collector stored through retries, a 503 window, duplicate sends and a
// reload; and a runaway loop costs no more than the rate limit while a purchase gets through.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { lookup } from '../../src/schema';
import type { UsageReport } from '../../src/types';
import { storedEvents, useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser();

type Api = Record<string, (...args: unknown[]) => unknown>;

const open = async (page: Page) => {
  await page.goto(`${env.demo.storeUrl}/sandbox.html`);
  await page.waitForFunction(() => (window as unknown as { shoptrail?: { loaded?: boolean } }).shoptrail?.loaded === true);
};
const track = (page: Page, calls: [string, unknown][]) =>
  page.evaluate((calls) => {
    const shoptrail = (window as unknown as { shoptrail: Api }).shoptrail;
    return calls.map(([type, body]) => shoptrail.track!(type, body));
  }, calls);
const usage = (page: Page) => page.evaluate(() => (window as unknown as { shoptrail: Api }).shoptrail.usage!() as Promise<UsageReport>);
const fault = (spec: Record<string, unknown>) =>
  fetch(`${env.demo.collectorUrl}/v1/admin/faults`, { method: 'POST', body: JSON.stringify(spec), headers: { Authorization: `Bearer ${env.demo.adminKey}` } }).then(
    (r) => expect(r.status).toBe(200),
  );
const anonymousIdOf = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('shoptrail.ids') ?? '{}') as { a?: string }).a); // src/identity.ts stores it as `a`
const storedBillable = (anonymousId: string) => storedEvents(env.demo, { anonymousId }).filter((e) => lookup(e.type)?.billable);
const searches = (from: number, n: number): [string, unknown][] => Array.from({ length: n }, (_, i) => ['search', { query: `q${from + i}` }]);

describe('cost accounting end to end', () => {
  it('counts accepted activities exactly as the collector stored them, through retries, a 503 window, duplicate sends and a reload', async () => {
    const page = await env.browser.newPage();
    await open(page);
    const anonymousId = await waitFor(() => anonymousIdOf(page), { message: 'an anonymous id' });
    await page.evaluate(() => {
      const w = window as unknown as { shoptrail: Api; statuses: number[] };
      w.statuses = [];
      w.shoptrail.on!('batch', (b: { status: number }) => w.statuses.push(b.status));
    });

    // Plain delivery, and a guard drop: the last search again at once (a double submit).
    await track(page, [...searches(0, 3), ['search', { query: 'q2' }]]);
    await waitFor(() => storedBillable(anonymousId).length >= 4, { message: 'entity-created, page visit and 3 searches' }); // + entity-created

    // Duplicate sends: the collector stores a batch, then answers 503; the retry is a duplicate.
    await fault({ status: 503, retryAfter: 1, count: 1, storeThenFail: true });
    await track(page, searches(100, 4));
    await page.evaluate(() => (window as unknown as { shoptrail: Api }).shoptrail.flush!());

    // A 503 window with a reload in it: what was queued waits in IndexedDB for the next page.
    await fault({ status: 503, retryAfter: 1, forMs: 2500 });
    await track(page, searches(200, 5));
    await page.evaluate(() => (window as unknown as { shoptrail: Api }).shoptrail.flush!());
    expect((await usage(page)).activities!.pending).toBeGreaterThanOrEqual(5);
    // The stored-then-failed batch was answered 503, and sent again.
    expect(await page.evaluate(() => (window as unknown as { statuses: number[] }).statuses)).toContain(503);
    await page.reload();
    await open(page);
    await track(page, searches(300, 2));

    const settled = await waitFor(
      async () => {
        const u = await usage(page);
        return u.activities?.pending === 0 && u.activities.accepted === storedBillable(anonymousId).length ? u : undefined;
      },
      { timeout: 30_000, message: 'nothing pending, and the ledger agreeing with the collector' },
    );
    const stored = storedBillable(anonymousId);
    // 3 + 4 + 5 + 2 searches, each stored once.
    expect(stored.filter((e) => e.type === 'search')).toHaveLength(14);
    expect(new Set(stored.map((e) => e.id)).size).toBe(stored.length);
    expect(settled.activities!.accepted).toBe(stored.length);
    // Every drop has a reason, and the reasons add up.
    expect(settled.drops).toEqual({ duplicate: 1 });
    expect(settled.activities!.dropped).toBe(1);
    expect(settled.byType!.search).toMatchObject({ accepted: 14, dropped: 1, pending: 0 });
    await page.close();
  });

  it('a runaway loop of 10,000 web-content-clicked in a minute costs no more than the rate limit; a purchase in the middle is stored', async () => {
    const page = await env.browser.newPage();
    await open(page);
    const anonymousId = await waitFor(() => anonymousIdOf(page), { message: 'an anonymous id' });
    const results = await page.evaluate(async () => {
      const shoptrail = (window as unknown as { shoptrail: Api }).shoptrail;
      let passed = 0;
      let purchase: unknown;
      // 100 tasks of 100 clicks, as a page stuck in a loop of timers would fire them.
      for (let task = 0; task < 100; task++) {
        for (let i = 0; i < 100; i++) {
          const r = shoptrail.track!('web-content-clicked', { contentId: `block-${task}-${i}`, contentType: 'banner' }) as { ok: boolean };
          if (r.ok) passed++;
          if (task === 50 && i === 0) {
            purchase = shoptrail.track!('purchase', { orderId: 'e2e-order-1', value: 59.9, currency: 'EUR', items: [] });
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await shoptrail.flush!();
      return { passed, purchase };
    });
    expect(results.purchase).toMatchObject({ ok: true });
    const purchase = await waitFor(() => storedEvents(env.demo, { type: 'purchase', anonymousId })[0], { message: 'the purchase stored' });
    expect(purchase.body).toMatchObject({ orderId: 'e2e-order-1' });
    const clicks = await waitFor(
      async () => {
        const u = await usage(page);
        return u.activities?.pending === 0 ? storedEvents(env.demo, { type: 'web-content-clicked', anonymousId }) : undefined;
      },
      { message: 'the clicks that passed, stored' },
    );
    // A burst of 10, then 30 a minute: the loop ran for well under a minute.
    expect(clicks.length).toBe(results.passed);
    expect(clicks.length).toBeLessThanOrEqual(10 + 30);
    const u = await usage(page);
    expect(u.drops!['rate-limit']).toBe(10_000 - clicks.length);
    await page.close();
  });
});

// Consent platforms end to end (issue 17 item 2), in Chromium against the demo collector: a stub
// of each platform (IAB TCF v2.2, Google Consent Mode v2, Shopify's Customer Privacy API) in
// test/e2e/pages/consent/. Before an answer and after a refusal nothing is stored (IndexedDB
// empty) or sent; granted later, the held events go. Analytics without marketing: no identify.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { storedEvents, useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser({ extraRoot: join(import.meta.dirname, 'pages', 'consent') });

type Api = Record<string, (...args: unknown[]) => unknown>;
type Cmp = { cmp: Record<'grant' | 'deny' | 'analyticsOnly', () => void> };

/** The page, with every request to the collector counted. */
const open = async (platform: string) => {
  const page = await env.browser.newPage();
  const batches: string[] = [];
  page.on('request', (request) => request.url().includes('/v1/batch') && batches.push(request.url()));
  await page.goto(`${env.demo.storeUrl}/test/${platform}.html`);
  await page.waitForFunction(() => (window as unknown as { shoptrail?: { loaded?: boolean } }).shoptrail?.loaded === true);
  return { page, batches };
};
const call = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(([method, args]) => (window as unknown as { shoptrail: Api }).shoptrail[method as string]!(...(args as unknown[])), [method, args] as const);
const answer = (page: Page, how: 'grant' | 'deny' | 'analyticsOnly') => page.evaluate((how) => (window as unknown as Cmp).cmp[how](), how);
/** Records in every IndexedDB database of the page's origin. */
const storedInIndexedDB = (page: Page) =>
  page.evaluate(async () => {
    let count = 0;
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        count += await new Promise<number>((resolve) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
        });
      }
      db.close();
    }
    return count;
  });
const searchesFor = (query: string) => storedEvents(env.demo, { type: 'search' }).filter((e) => (e.body as { query?: string }).query === query);
const settle = (page: Page) => page.waitForTimeout(800); // three flush intervals: anything allowed would have gone

describe.each(['tcf', 'gcm', 'shopify'])('consent platform %s', (platform) => {
  it('before an answer nothing is stored or sent; granted later, the held events go', async () => {
    const { page, batches } = await open(platform);
    const query = `held-${platform}`;
    expect(await call(page, 'track', 'search', { query })).toMatchObject({ ok: true });
    await settle(page);
    expect(batches).toEqual([]);
    expect(await storedInIndexedDB(page)).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('shoptrail.ids'))).toBeNull();

    await answer(page, 'grant');
    await waitFor(() => searchesFor(query).length === 1, { message: `the held search (${platform}) stored` });
    await page.close();
  });

  it('refused, nothing is stored or sent, then or later', async () => {
    const { page, batches } = await open(platform);
    const query = `refused-${platform}`;
    await call(page, 'track', 'search', { query });
    await answer(page, 'deny');
    expect(await call(page, 'track', 'search', { query })).toMatchObject({ ok: false, dropped: 'consent-denied' });
    await settle(page);
    expect(batches).toEqual([]);
    expect(await storedInIndexedDB(page)).toBe(0);
    expect(searchesFor(query)).toEqual([]);
    await page.close();
  });

  it('analytics without marketing: events go, identify does not', async () => {
    const { page } = await open(platform);
    await answer(page, 'analyticsOnly');
    const query = `analytics-${platform}`;
    expect(await call(page, 'identify', `c-${platform}`, { email: `${platform}@example.com` })).toMatchObject({ ok: false, dropped: 'consent-marketing' });
    await call(page, 'track', 'search', { query });
    const [search] = await waitFor(() => searchesFor(query).length > 0 && searchesFor(query), { message: 'the search stored' });
    expect(search!.customerId).toBeUndefined(); // who the shopper is belongs to marketing
    expect(storedEvents(env.demo, { type: 'entity-identified' }).filter((e) => e.customerId === `c-${platform}`)).toEqual([]);
    await page.close();
  });
});

// One search is one event, in real Chromium: a form submit that navigates (the demo's own
// header search, whose results page also pushes a GA4 `search`), a search handled by script
// (no navigation), and a results page reached directly (a link or a typed URL; a reload is no
// new search).
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/schema';
import { captured, ofType } from './support/capture';
import { PAGES } from './support/chaos';
import { useDemoAndBrowser } from './support/demo';

const env = useDemoAndBrowser({ extraRoot: PAGES });
let context: BrowserContext;
let page: Page;

beforeEach(async () => {
  context = await env.browser.newContext();
  page = await context.newPage();
});
afterEach(() => context.close());

const loaded = () => page.waitForFunction(() => (window as any).shoptrail?.loaded);
const open = async (path: string) => {
  await page.goto(env.demo.storeUrl + path);
  await loaded();
};
/**
 * This browser context's searches stored for pages under `path` once `n` are there, read again
 * a while later so a late duplicate would show. The file's tests share one database: events
 * are told apart by the anonymous id this context's tracker keeps in localStorage.
 */
const searches = async (path: string, n: number) => {
  const storage = await page.evaluate(() => Object.values(localStorage).join(' '));
  const mine = (events: Envelope[]) => ofType(events, 'product-searched').filter((e) => storage.includes(e.anonymousId));
  await captured(env.demo, page, path, (e) => mine(e).length >= n, `${n} searches`);
  await page.waitForTimeout(1500);
  return mine(await captured(env.demo, page, path, () => true, 'searches')).map((e) => e.body.query);
};

describe('one search, one event', () => {
  it('counts each header search of the demo once: submit, results page and its GA4 push', async () => {
    await open('/');
    for (const query of ['kettle', 'green tea']) {
      await page.fill('#site-search', query);
      await Promise.all([page.waitForURL(/\/search\.html\?q=/), page.press('#site-search', 'Enter')]);
      await loaded();
      await page.locator('[data-search-results] .card').first().waitFor();
    }
    expect(await searches('/', 2)).toEqual(['kettle', 'green tea']);
  });

  it('counts a search handled by script once (prevented submit, pushState, GA4 push)', async () => {
    await open('/test/instant-search.html');
    await page.fill('input[name=q]', 'trail runner');
    await page.press('input[name=q]', 'Enter');
    await page.waitForFunction(() => document.body.dataset.searched == '1');
    expect(await searches('/test/instant-search', 1)).toEqual(['trail runner']);
  });

  it('counts a results page reached directly once, and not again on reload', async () => {
    await open('/search.html?q=kettle');
    await page.locator('[data-search-results] .card').first().waitFor();
    await page.reload();
    await loaded();
    expect(await searches('/search.html', 1)).toEqual(['kettle']);
  });
});

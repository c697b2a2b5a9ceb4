// Bot filtering end to end (issue 17 item 1), in Chromium against the demo collector, whose pages
// here do not allow automation. An automated browser (navigator.webdriver) sends nothing and
// says so once; a tag that allows automation sends, and the collector flags a crawler's events,
// bills none of them, and reports them apart in /v1/usage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser({ extraRoot: join(import.meta.dirname, 'pages', 'bots'), allowAutomation: false });
const SNIPPET = readFileSync(join(import.meta.dirname, '..', '..', 'dist', 'snippet.js'), 'utf8');
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

type Api = Record<string, (...args: unknown[]) => unknown>;
const api = 'window.shoptrail';

/** The snippet in the page's head, with a listener for warnings before the script loads. */
const withSnippet = async (page: Page) => {
  await page.addInitScript(`${SNIPPET}; window.warnings = []; ${api}.on('warning', function (w) { window.warnings.push(w.code); });`);
};
const loaded = (page: Page) => page.waitForFunction(() => (window as unknown as { shoptrail?: { loaded?: boolean } }).shoptrail?.loaded === true);
const anonymousIdOf = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('shoptrail.ids') ?? '{}') as { a?: string }).a);
const rows = (dbPath: string, anonymousId: string) => {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT type, bot, billable FROM events WHERE anonymous_id = ?').all(anonymousId) as { type: string; bot: number; billable: number }[];
  } finally {
    db.close();
  }
};
const usage = async () => {
  const response = await fetch(`${env.demo.collectorUrl}/v1/usage`, { headers: { Authorization: `Bearer ${env.demo.adminKey}` } });
  return ((await response.json()) as { usage: { used: number; bots: { flagged: number; dropped: number } } }).usage;
};

describe('bot filtering', () => {
  it('an automated browser sends nothing, stores nothing, and says so once', async () => {
    const page = await env.browser.newPage();
    await withSnippet(page);
    await page.goto(`${env.demo.storeUrl}/sandbox.html`);
    await loaded(page);
    expect(await page.evaluate(() => navigator.webdriver)).toBe(true);
    const result = await page.evaluate(() => (window as unknown as { shoptrail: Api }).shoptrail.track!('search', { query: 'tea' }));
    expect(result).toMatchObject({ ok: false, dropped: 'automation' });
    const flushed = await page.evaluate(() => (window as unknown as { shoptrail: Api }).shoptrail.flush!());
    expect(flushed).toEqual({ delivered: 0, remaining: 0 });
    const report = (await page.evaluate(() => (window as unknown as { shoptrail: Api }).shoptrail.usage!())) as {
      queue: { size: number };
      drops: Record<string, number>;
    };
    expect(report.queue.size).toBe(0);
    expect(report.drops.automation).toBeGreaterThanOrEqual(1); // the ledger counts them apart
    expect(await page.evaluate(() => (window as unknown as { warnings: string[] }).warnings)).toEqual(['automation']);
    expect(rows(env.demo.dbPath, (await anonymousIdOf(page))!)).toEqual([]);
    await page.close();
  });

  it('with data-allow-automation it sends; the collector flags a crawler and bills none of it', async () => {
    const before = await usage();
    const context = await env.browser.newContext({ userAgent: GOOGLEBOT });
    const page = await context.newPage();
    await page.goto(`${env.demo.storeUrl}/test/allowed.html`);
    await loaded(page);
    await page.evaluate(() => (window as unknown as { shoptrail: Api }).shoptrail.track!('search', { query: 'tea' }));
    const anonymousId = (await waitFor(() => anonymousIdOf(page), { message: 'an anonymous id' }))!;
    const stored = await waitFor(
      () => {
        const found = rows(env.demo.dbPath, anonymousId);
        return found.some((row) => row.type === 'search') && found;
      },
      { message: 'the crawler’s events stored' },
    );
    expect(stored.every((row) => row.bot === 1 && row.billable === 0)).toBe(true);
    const after = await usage();
    expect(after.used).toBe(before.used);
    expect(after.bots.flagged - before.bots.flagged).toBe(stored.length);
    await context.close();
  });
});

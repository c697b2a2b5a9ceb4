// The admin console in Chromium over a seeded month of two entities: each page renders, every
// figure on screen matches the API, the daily chart draws a day of N activities at N, a key of
// one entity never shows the other's data, reports bill nothing. Screenshots of every page at
// 1280 and 390 px go to test-results/console/.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { ACME, GLOBEX, post, type Seeded, seedConsole } from './support/consoleSeed';

const SHOTS = 'test-results/console';
let seeded: Seeded;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [seeded, browser] = await Promise.all([seedConsole(), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.close();
});

const api = async <T = any>(path: string, key = ACME.adminKey, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${seeded.url}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, ...(init.headers as object) } });
  return (res.headers.get('content-type')?.startsWith('application/json') ? res.json() : res.text()) as Promise<T>;
};
const n = (value: number) => value.toLocaleString('en-US');

/** A fresh browser context signed in with `key`, its console errors collected. */
const signedIn = async (key: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} @ ${page.url()}`));
  page.on('pageerror', (e) => errors.push(`${e.message} @ ${page.url()}`));
  await page.goto(`${seeded.url}/admin/`);
  await page.fill('#key', key);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav');
  return { context, page };
};

const open = async (page: Page, hash: string, ready: string) => {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForSelector(ready, { timeout: 10_000 });
};

const readDownload = async (download: Download) => {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
};
const shoot = (page: Page, name: string, width: number) => page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
/** A table's body cells, row by row. */
const cells = (page: Page, table: string) =>
  page.$$eval(`table[data-table="${table}"] tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())));

describe('admin console', () => {
  it('signs in with a cookie only; a wrong key says so', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${seeded.url}/admin/`);
    expect(await page.getAttribute('#key', 'type')).toBe('password');
    await page.fill('#key', 'pk_e2e_acme');
    await page.click('button[type=submit]');
    await page.waitForSelector('#signin-error:not(:empty)');
    expect(await text(page, '#signin-error')).toMatch(/not valid/);
    await page.fill('#key', ACME.adminKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-figure="entity"]');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    expect(cookie!.value).not.toContain(ACME.adminKey);
    expect(page.url()).not.toContain(ACME.adminKey);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain('sk_');
    const csp = (await page.request.get(`${seeded.url}/admin/`)).headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    await page.click('text=Sign out');
    await page.waitForSelector('#key');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('usage: the figures of the API, a day of N activities drawn at N, usage by type with free events apart', async () => {
    const { usage } = await api('/v1/usage');
    const byType = await api('/v1/usage/by-type');
    for (const width of [1280, 390]) {
      const { context, page } = await signedIn(ACME.adminKey, width);
      await open(page, '#/usage', '[data-chart="daily"] canvas');
      expect(await text(page, '[data-figure="cycle-start"]')).toBe('1 March 2026');
      expect(await text(page, '[data-figure="used"]')).toBe(n(usage.used));
      expect(await text(page, '[data-figure="allowance"]')).toBe(n(1500));
      expect(await text(page, '[data-figure="percent"]')).toBe(`${usage.percent} %`);
      expect(await text(page, '[data-figure="projected"]')).toBe(n(usage.projected));
      expect(usage.projected).toBeGreaterThan(1500);
      expect(await text(page, '[data-figure="exhausts-on"]')).toBe(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(usage.exhaustsOn)),
      );

      const chart = await page.evaluate(() => {
        const u = (window as any).shoptrailConsole.charts.get('daily');
        const values: number[] = u.data[1];
        const i = values.indexOf(Math.max(...values));
        const top = u.valToPos(values[i], 'y');
        return {
          days: u.data[0].map((t: number) => new Date(t * 1000).toISOString().slice(0, 10)),
          values,
          yMin: u.scales.y.min,
          yMax: u.scales.y.max,
          height: u.bbox.height / devicePixelRatio,
          i,
          top,
          back: u.posToVal(top, 'y'),
        };
      });
      const byDay = new Map<string, number>(usage.byDay.map((d: { day: string; used: number }) => [d.day, d.used]));
      expect(chart.days).toHaveLength(31);
      // Up to today (the 20th) each day's billed use; the days to come are not drawn.
      chart.days.forEach((day: string, i: number) => expect(chart.values[i]).toBe(i < 20 ? (byDay.get(day) ?? 0) : null));
      // Billed per day: what the seed sent, minus its free web-vitals.
      expect(chart.values[0]).toBe(seeded.perDay.get('2026-03-01')! - 3);
      // The honest axis: from 0, and the tallest bar's top is at its value.
      expect(chart.yMin).toBe(0);
      expect(chart.yMax).toBeLessThan(Math.max(...chart.values) * 1.5);
      expect(chart.back).toBeCloseTo(chart.values[chart.i]!, 6);
      expect(chart.top / chart.height).toBeCloseTo(1 - chart.values[chart.i]! / chart.yMax, 2);

      const billed = await cells(page, 'billable-types');
      expect(billed.map((r) => [r[0], r[1]])).toEqual(byType.types.filter((t: any) => t.billable).map((t: any) => [t.type, n(t.count)]));
      expect(await cells(page, 'free-types')).toEqual([['web-vitals', n(byType.free)]]);
      await shoot(page, 'usage', width);
      await context.close();
    }
  });

  it('right now: newest first, live, filtered, and a burst stays bounded', async () => {
    for (const width of [1280, 390]) {
      const { context, page } = await signedIn(ACME.adminKey, width);
      await open(page, '#/live', 'table[data-table="live"] tbody tr');
      const latest = (await api('/v1/events/latest?limit=100')).events.reverse();
      expect(await page.$$eval('table[data-table="live"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(latest.map((e: any) => e.id));
      await shoot(page, 'live', width);
      await context.close();
    }
    const { context, page } = await signedIn(ACME.adminKey);
    await open(page, '#/live', 'table[data-table="live"] tbody tr');
    await post(seeded.url, ACME.writeKey, [
      {
        id: crypto.randomUUID(),
        type: 'search',
        v: 1,
        entity: 'acme',
        anonymousId: 'live-anon',
        sessionId: 's',
        createdAt: new Date('2026-03-20T14:00:00Z').toISOString(),
        context: { page: { url: 'https://shop.example/', path: '/', title: 'Shop', referrer: '' }, library: { name: 'shoptrail', version: 'e2e' } },
        body: { query: '<img src=x onerror="window.owned=1">' },
      },
    ]);
    await page.waitForFunction(() => document.querySelector('table[data-table="live"] tbody tr td:last-child')?.textContent?.includes('<img'), null, {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => (window as any).owned)).toBeUndefined();
    await page.check('#f-billable');
    expect(await page.$$eval('table[data-table="live"] tbody tr td:nth-child(3)', (tds) => tds.every((td) => td.textContent === 'billed'))).toBe(true);
    await page.uncheck('#f-billable');
    await page.fill('#f-customer', 'live-anon');
    expect(await page.$$eval('table[data-table="live"] tbody tr', (rows) => rows.length)).toBe(1);
    await page.fill('#f-customer', '');
    // A burst of 3,000 events: at most 100 rows drawn, the page answers within a frame or two.
    const burst = Array.from({ length: 3000 }, (_, i) => ({
      id: crypto.randomUUID(),
      type: 'web-page-visited',
      v: 1,
      entity: 'acme',
      anonymousId: `burst-${i}`,
      sessionId: 's',
      createdAt: new Date('2026-03-20T14:30:00Z').toISOString(),
      context: { page: { url: 'https://shop.example/', path: '/', title: 'Shop', referrer: '' }, library: { name: 'shoptrail', version: 'e2e' } },
      body: { url: 'https://shop.example/', referrer: '' },
    }));
    for (let i = 0; i < burst.length; i += 500) await post(seeded.url, ACME.writeKey, burst.slice(i, i + 500));
    await page.waitForFunction(() => document.querySelector('table[data-table="live"] tbody tr td:nth-child(4)')?.textContent?.startsWith('burst-299'), null, {
      timeout: 15_000,
    });
    const started = Date.now();
    await page.evaluate(() => new Promise(requestAnimationFrame));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await page.$$eval('table[data-table="live"] tbody tr', (rows) => rows.length)).toBe(100);
    await context.close();
  });

  it('content statistics: totals, daily graphs and blocks from the API, rates that do not wrap', async () => {
    const content = await api('/v1/content');
    for (const width of [1280, 390]) {
      const { context, page } = await signedIn(ACME.adminKey, width);
      await open(page, '#/content', '[data-chart="content-opens"] canvas');
      const rate = (c: number | null, o: number | null) => (c === null || !o ? '—' : `${(Math.round((c / o) * 1000) / 10).toLocaleString('en-US')} %`);
      const fmt = (v: number | null) => (v === null ? '—' : n(v));
      expect(await cells(page, 'content-totals')).toEqual(
        content.channels.map((c: any) => [c.label, fmt(c.totals.sends), fmt(c.totals.opens), fmt(c.totals.clicks), rate(c.totals.clicks, c.totals.opens)]),
      );
      const drawn = await page.evaluate(() => (window as any).shoptrailConsole.charts.get('content-opens').data.slice(1));
      expect(drawn).toEqual(content.channels.filter((c: any) => c.daily.opens).map((c: any) => c.daily.opens));
      const web = content.blocks.filter((b: any) => b.channel === 'web');
      expect((await cells(page, 'blocks-web')).map((r) => [r[0], r[3], r[4], r[5]])).toEqual(
        web.map((b: any) => [b.block, n(b.opens), n(b.clicks), rate(b.clicks, b.opens)]),
      );
      // A rate never wraps: its cell is one line high.
      const lines = await page.$$eval('table[data-table="blocks-web"] tbody td:last-child', (tds) =>
        tds.map((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }),
      );
      expect(lines.length).toBe(web.length);
      for (const count of lines) expect(count).toBe(1);
      await shoot(page, 'content', width);
      await context.close();
    }
  });

  it("profiles: search by email, a profile's attributes, opt-ins, segments, ids, timeline and activity log", async () => {
    const { profile } = await api('/v1/customers/c-ana');
    const log = await api<string>('/v1/customers/c-ana/log');
    const { events } = await api('/v1/customers/c-ana/events?limit=200');
    for (const width of [1280, 390]) {
      const { context, page } = await signedIn(ACME.adminKey, width);
      await open(page, '#/profiles', 'table[data-table="profiles"]');
      await shoot(page, 'profiles', width);
      await page.fill('#q', 'ANA@acme');
      await page.press('#q', 'Enter');
      await page.waitForSelector('table[data-table="profiles"] a[href="#/profiles/c-ana"]');
      await page.click('a[href="#/profiles/c-ana"]');
      await page.waitForSelector('[data-list="log"]');
      expect(await text(page, '[data-list="attributes"]')).toContain('gold');
      expect(await page.$$eval('[data-list="opt-ins"] li', (lis) => lis.map((li) => li.textContent))).toEqual(
        Object.entries(profile.subscriptions).map(([k, v]) => `${k}: ${v ? 'subscribed' : 'unsubscribed'}`),
      );
      expect(await page.locator('text=No segments.').count()).toBe(1);
      expect(await page.$$eval('[data-list="anonymous-ids"] li', (lis) => lis.map((li) => li.textContent))).toEqual(profile.anonymousIds);
      expect(await page.$$eval('[data-list="log"] li', (lis) => lis.map((li) => li.textContent))).toEqual(log.trim().split('\n'));
      expect((await cells(page, 'timeline')).length).toBe(events.length);
      const href = await page.getAttribute('a[download]', 'href');
      expect(await page.evaluate((h) => fetch(h!).then((r) => r.text()), href)).toBe(log);
      await shoot(page, 'profile', width);
      await context.close();
    }
  });

  it('reports: results of the API, CSV, saved reports, an error that clears; running bills nothing', async () => {
    const spec = { source: { type: 'web-page-visited' }, dimensions: ['day'], measures: ['count', 'distinctContacts'] };
    const expected = (await api('/v1/reports', ACME.adminKey, { method: 'POST', body: JSON.stringify(spec) })).report;
    for (const width of [1280, 390]) {
      const { context, page } = await signedIn(ACME.adminKey, width);
      await open(page, '#/reports', '#saved');
      const before = { usage: (await api('/v1/usage')).usage.used, events: (await api('/v1/events/latest?limit=1')).events[0].id };
      await page.selectOption('#type', 'web-page-visited');
      await page.fill('#measure-1', 'distinctContacts');
      await page.click('text=Run the report');
      await page.waitForSelector('table[data-table="report"]');
      expect(await cells(page, 'report')).toEqual(expected.rows.map((r: any[]) => [r[0], n(r[1]), n(r[2])]));
      expect(await page.evaluate(() => (window as any).shoptrailConsole.charts.get('report')?.data[1])).toEqual(expected.rows.map((r: any[]) => r[1]));
      const csvDownload = page.waitForEvent('download');
      await page.click('a[data-link="csv"]');
      const csv = await readDownload(await csvDownload);
      expect(csv.split('\r\n')[0]).toBe('day,count,distinctContacts');
      expect(csv.split('\r\n')[1]).toBe(expected.rows[0].join(','));
      // Nothing billed, nothing stored: the console loads no tracker.
      expect((await api('/v1/usage')).usage.used).toBe(before.usage);
      expect((await api('/v1/events/latest?limit=1')).events[0].id).toBe(before.events);
      expect(await page.evaluate(() => 'shoptrail' in window)).toBe(false);
      await shoot(page, 'reports', width);

      if (width === 1280) {
        await page.fill('#save-name', 'Visits by day');
        await page.click('button:text-is("Save")');
        await page.waitForSelector('table[data-table="saved"]');
        expect((await api('/v1/reports/saved')).reports.map((r: any) => r.name)).toEqual(['Visits by day']);
        expect((await api('/v1/reports/saved', GLOBEX.adminKey)).reports).toEqual([]);
        // An error clears the old result. (The browser logs the API's 400 itself: expected here.)
        const logged = errors.length;
        await page.check('#src-custom');
        await page.fill('#custom', 'bad name!');
        await page.click('text=Run the report');
        await page.waitForSelector('#report-error:not(:empty)');
        expect(await page.locator('table[data-table="report"]').count()).toBe(0);
        expect(await page.evaluate(() => (window as any).shoptrailConsole.charts.size)).toBe(0);
        expect(errors.splice(logged)).toEqual([expect.stringMatching(/status of 400/)]);
        // Reopen the saved one, then delete it.
        await page.click('button[aria-label="Open Visits by day"]');
        await page.waitForSelector('table[data-table="report"]');
        expect(await page.inputValue('#type')).toBe('web-page-visited');
        expect(await text(page, '#report-error')).toBe('');
        page.once('dialog', (d) => d.accept());
        await page.click('button[aria-label="Delete Visits by day"]');
        await page.waitForSelector('#saved .empty');
        expect((await api('/v1/reports/saved')).reports).toEqual([]);
      }
      await context.close();
    }
  });

  it('export: the NDJSON of the API as a download', async () => {
    const ndjson = await api<string>('/v1/export/customer-actions');
    for (const width of [1280, 390]) {
      const { context, page } = await signedIn(ACME.adminKey, width);
      await open(page, '#/export', 'a[data-link="export"]');
      expect(await page.getAttribute('a[data-link="export"]', 'download')).toBe('customer-actions.ndjson');
      const download = page.waitForEvent('download');
      await page.click('a[data-link="export"]');
      expect(await readDownload(await download)).toBe(ndjson);
      expect(ndjson.trim().split('\n').length).toBeGreaterThan(3);
      await shoot(page, 'export', width);
      await context.close();
    }
  });

  it("entity A's key never shows entity B", async () => {
    const pages = [
      ['#/usage', '[data-chart="daily"] canvas'],
      ['#/live', 'table[data-table="live"]'],
      ['#/content', '[data-chart="content-opens"] canvas'],
      ['#/profiles', 'table[data-table="profiles"]'],
      ['#/reports', '#saved'],
      ['#/export', 'a[data-link="export"]'],
    ] as const;
    for (const [key, mine, theirs] of [
      [ACME.adminKey, 'acme', /globex/i],
      [GLOBEX.adminKey, 'globex', /acme|c-ana|hero-autumn/i],
    ] as const) {
      const { context, page } = await signedIn(key);
      expect(await text(page, '[data-figure="entity"]')).toBe(`Entity: ${mine}`);
      for (const [hash, ready] of pages) {
        await open(page, hash, ready);
        expect(await page.locator('main').innerText()).not.toMatch(theirs);
      }
      await open(page, `#/profiles/${mine === 'acme' ? 'globex-customer' : 'c-ana'}`, 'text=Profile not found');
      if (mine === 'globex') await shoot(page, 'globex-usage-missing-profile', 1280);
      await context.close();
    }
  });

  it('no console errors on any page', () => {
    expect(errors).toEqual([]);
  });
});

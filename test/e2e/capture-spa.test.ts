// A single-page storefront: 20 navigations by pushState, replaceState, popstate and hash give
// exactly the expected page visits; a burst of 200 dataLayer pushes is captured without a long
// task; web vitals arrive once each for a page view, including those reported on hide.
import { describe, expect, it } from 'vitest';
import { captured, ofType } from './support/capture';
import { storedEvents, useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser();

const fresh = async (query = '') => {
  const page = await (await env.browser.newContext()).newPage();
  await page.goto(`${env.demo.storeUrl}/platforms/spa/index.html${query}`);
  await page.waitForFunction(() => (window as any).shoptrail?.loaded);
  return page;
};

describe('single-page storefront', () => {
  it('counts exactly one page visit per distinct navigation over 20 navigations', async () => {
    const page = await fresh();
    const base = `${env.demo.storeUrl}/platforms/spa`;
    /** Run one navigation in its own task and wait until the URL is `to`. */
    const step = async (fn: string, to: string) => {
      await page.evaluate(fn);
      await page.waitForFunction((url) => location.href === url, `${base}${to}`);
    };
    await step("go('/platforms/spa/collections/shirts')", '/collections/shirts');
    await step("go('/platforms/spa/collections/shirts')", '/collections/shirts'); // same URL (a new history entry)
    await step("go('/platforms/spa/products/linen-shirt')", '/products/linen-shirt');
    await step('history.replaceState({}, "", location.href)', '/products/linen-shirt'); // same URL
    await step('history.replaceState({}, "", "?variant=2")', '/products/linen-shirt?variant=2');
    await step('history.back()', '/collections/shirts');
    await step('history.back()', '/collections/shirts'); // popstate to an entry of the same URL
    await step('history.back()', '/index.html');
    await step("location.hash = '#reviews'", '/index.html#reviews'); // an anchor
    await step("location.hash = '#/cart'", '/index.html#/cart');
    await step("location.hash = '#/checkout'", '/index.html#/checkout');
    await step('history.back()', '/index.html#/cart'); // popstate and hashchange: one visit
    await step("go('/platforms/spa/collections/trousers')", '/collections/trousers');
    await page.click('nav a'); // the router's own link
    await page.waitForFunction((url) => location.href === url, `${base}/collections/shirts`);
    await step("go('/platforms/spa/about')", '/about');
    await step("location.hash = '#team'", '/about#team'); // an anchor
    await step('history.back()', '/about'); // back from an anchor: the same page
    await step("go('/platforms/spa/contact')", '/contact');
    await step("history.pushState({}, '', location.href)", '/contact'); // same URL
    await step("go('/platforms/spa/collections/shirts')", '/collections/shirts');

    const expected = [
      '/index.html',
      '/collections/shirts',
      '/products/linen-shirt',
      '/products/linen-shirt?variant=2',
      '/collections/shirts',
      '/index.html',
      '/index.html#/cart',
      '/index.html#/checkout',
      '/index.html#/cart',
      '/collections/trousers',
      '/collections/shirts',
      '/about',
      '/contact',
      '/collections/shirts',
    ].map((path) => base + path);
    const events = await captured(env.demo, page, '/platforms/spa/', (e) => ofType(e, 'web-page-visited').length >= expected.length, 'page visits');
    // A late duplicate would come from the check a navigation schedules for the next task
    // (src/capture/pages.ts, `later`): two tasks more, then flush, and it would be stored too.
    await page.evaluate(() => new Promise((resolve) => setTimeout(() => setTimeout(resolve))));
    await page.evaluate(() => (window as any).shoptrail.flush());
    const visits = storedEvents(env.demo, { type: 'web-page-visited', anonymousId: events[0]!.anonymousId });
    expect(visits.map((e) => e.context.page.url)).toEqual(expected);
    expect(visits.at(-1)!.context.page.title).toBe('shirts – SPA Shop'); // read after the app rendered
    await page.context().close();
  });

  it('captures a burst of 200 dataLayer pushes without a long task', async () => {
    const page = await fresh();
    const result = await page.evaluate(async () => {
      const w = window as any;
      const long: number[] = [];
      new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      let seen = 0;
      w.shoptrail.on('queued', ({ event }: any) => event.type === 'cart-product-added' && seen++);
      w.shoptrail.on('dropped', ({ events }: any) => (seen += events.filter((e: any) => e.type === 'cart-product-added').length));
      for (let i = 0; i < 200; i++) {
        w.dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'EUR', items: [{ item_id: `BURST-${i}`, price: 1, quantity: 1 }] } });
      }
      const deadline = Date.now() + 10_000;
      while (seen < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the observer report
      return { seen, long };
    });
    expect(result.seen).toBe(200);
    expect(result.long).toEqual([]);
    await page.context().close();
  });

  it('sends each web vital once for a page view, including those reported when the page is hidden', async () => {
    const page = await fresh('?vitals');
    await page.click('#view'); // an interaction, for INP (the page keeps its URL)
    await page.goto(`${env.demo.storeUrl}/platforms/privacy/done.html`); // hides the first page
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    const events = await waitFor(
      async () => {
        await page.evaluate(() => (window as any).shoptrail.flush());
        const vitals = storedEvents(env.demo, { type: 'web-vitals' }).filter((e) => e.context.page.url.includes('?vitals'));
        return ['LCP', 'CLS', 'FCP', 'TTFB'].every((name) => vitals.some((e) => e.body.name === name)) && vitals;
      },
      { message: 'LCP, CLS, FCP and TTFB of the first page', timeout: 10_000 },
    );
    const names = events.map((e) => e.body.name as string).sort();
    expect(names.filter((n) => n !== 'INP')).toEqual(['CLS', 'FCP', 'LCP', 'TTFB']);
    expect(names.filter((n) => n === 'INP').length).toBeLessThanOrEqual(1);
    expect(events.every((e) => (e.body.value as number) >= 0 && ['good', 'needs-improvement', 'poor'].includes(e.body.rating as string))).toBe(true);
    await page.context().close();
  });

  it('still counts page visits, and says why, when the capture chunk cannot load', async () => {
    const page = await (await env.browser.newContext()).newPage();
    await page.route(/\/shoptrail-capture\.js$/, (route) => route.fulfill({ status: 404, body: 'not here' }));
    await page.addInitScript(() => {
      (window as any).warnings = [];
      (window as any).shoptrail = Object.assign((...args: unknown[]) => ((window as any).shoptrail.q ||= []).push([args]), {});
      (window as any).shoptrail('on', 'warning', (w: { code: string }) => (window as any).warnings.push(w.code));
    });
    await page.goto(`${env.demo.storeUrl}/platforms/spa/index.html?nochunk`);
    await page.waitForFunction(() => (window as any).warnings.includes('capture-chunk'));
    await page.evaluate("go('/platforms/spa/about?nochunk')");
    const events = await waitFor(
      async () => {
        await page.evaluate(() => (window as any).shoptrail.flush());
        const visits = storedEvents(env.demo, { type: 'web-page-visited' }).filter((e) => e.context.page.url.includes('nochunk'));
        return visits.length >= 2 && visits;
      },
      { message: 'page visits without the chunk', timeout: 8000 },
    );
    expect(events.map((e) => e.body.url)).toEqual([`${env.demo.storeUrl}/platforms/spa/index.html?nochunk`, `${env.demo.storeUrl}/platforms/spa/about?nochunk`]);
    await page.context().close();
  });
});

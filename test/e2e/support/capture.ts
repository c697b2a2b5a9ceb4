// Helpers of the autocapture end-to-end tests: the platforms' cart endpoints faked per page
// (their JSON answers), and a wait for the
// events a page captured, flushing the page's tracker while polling the collector's SQLite.
import type { Page, Route } from 'playwright-core';
import type { Envelope } from '../../../src/schema';
import { type Demo, storedEvents } from './demo';
import { waitFor } from './poll';

const json = (route: Route, body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

/** Answers of the platforms' cart endpoints, as the real ones give them. */
export const fakeCarts = async (page: Page) => {
  await page.route(/\/cart\/add\.js/, async (route) => {
    const body = route.request().postData() ?? '';
    // Shopify refuses a sold-out variant with 422
    if (body.includes('40113')) return json(route, { status: 422, message: 'Cart Error', description: 'Sold out' }, 422);
    return json(route, {
      items: [{ id: 40112, product_id: 7001, variant_id: 40112, quantity: 2, price: 5990, final_price: 5990, sku: 'RS-42', title: 'Red Shoe' }],
    });
  });
  await page.route(/\/cart\/change\.js/, (route) => json(route, { item_count: 0, items: [] }));
  // Dawn posts to /cart/add and /cart/change (no .js): a cart that starts with a sock, answers
  // an add with the added line and a change with the whole cart after it
  const sock = { variant_id: 40200, product_id: 7100, quantity: 1, price: 900, product_title: 'Blue Sock', url: '/products/blue-sock?variant=40200' };
  const shoe = {
    variant_id: 40112,
    product_id: 7001,
    quantity: 1,
    price: 5990,
    final_price: 5990,
    sku: 'RS-42',
    product_title: 'Red Shoe',
    url: '/products/red-shoe?variant=40112',
  };
  const dawn = [sock];
  await page.route(/\/cart\/add(\?|$)/, (route) => (dawn.push(shoe), json(route, { id: 40112, key: '40112:9f1c', ...shoe, sections: {} })));
  await page.route(/\/cart\/change(\?|$)/, (route) => {
    const { line } = JSON.parse(route.request().postData() ?? '{}');
    dawn.splice(Number(line) - 1, 1);
    return json(route, { token: 'c1', currency: 'EUR', item_count: dawn.length, items: dawn, sections: {} });
  });
  await page.route(/wc-ajax=(add_to|remove_from)_cart/, (route) => {
    const body = route.request().postData() ?? '';
    if (body.includes('product_id=999')) return json(route, { error: true, product_url: '/product/sold-out/' });
    return json(route, { fragments: {}, cart_hash: 'abc' });
  });
  await page.route(/\/checkout\/cart\/add\//, (route) => json(route, {}));
  await page.route(/\/platforms\/prestashop\/(fr\/panier|cart)(\?|$)/, (route) => json(route, { success: true, cart: { products_count: 1 } }));
  await page.route(/\/remote\/v1\/cart\/add/, (route) => json(route, { data: { cart_id: 'c1', line_items: [] } }));
  // BigCommerce's results page is search.php: serve the fixture's search.html for it
  // (continued to the storefront, not fulfilled here: a fulfilled page would not count as a
  // loopback page, and Chromium would then refuse its requests to the loopback collector)
  await page.route(/\/search\.php\?/, (route) => {
    const url = new URL(route.request().url());
    return route.continue({ url: url.origin + url.pathname.replace(/search\.php$/, 'search.html') });
  });
};

/** The events stored for pages under `path`, once `ready(events)` holds (flushing the page meanwhile). */
export const captured = async (demo: Demo, page: Page, path: string, ready: (events: Envelope[]) => boolean, message: string) =>
  waitFor(
    async () => {
      await page.evaluate(() => (window as any).shoptrail?.flush?.()).catch(() => {});
      const events = storedEvents(demo).filter((e) => e.context.page.path.startsWith(path));
      return ready(events) && events;
    },
    { message, timeout: 8000, interval: 100 },
  );

export const ofType = (events: Envelope[], type: string) => events.filter((e) => e.type === type);

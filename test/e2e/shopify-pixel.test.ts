// Shopify Web Pixels end to end (issue 17 item 4): dist/shopify-pixel.js in a Web Worker in
// Chromium (no DOM, as Shopify's sandbox), against a stub of the Web Pixels API
// (test/e2e/pages/pixel/worker.js). Shopify's standard events arrive at the demo collector as
// catalog events, validated, guarded (a repeated order is one purchase) and queued in the
// pixel's own storage until acknowledged.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { storedEvents, useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser({ extraRoot: join(import.meta.dirname, 'pages', 'pixel') });

const money = (amount: number) => ({ amount, currencyCode: 'EUR' });
const kettle = {
  id: 'gid://shopify/ProductVariant/40112',
  sku: 'KET-1',
  title: 'Matte black',
  price: money(59),
  image: { src: 'https://cdn.shopify.com/kettle.jpg' },
  product: { id: 'gid://shopify/Product/7001', title: 'Gooseneck kettle', vendor: 'Brewco', type: 'Kettles', url: '/products/gooseneck-kettle' },
};
const checkout = {
  token: 'tok-1',
  currencyCode: 'EUR',
  order: { id: 'gid://shopify/OrderIdentity/5550001' },
  totalPrice: money(118),
  totalTax: money(19.67),
  shippingLine: { price: money(0) },
  discountApplications: [],
  lineItems: [{ quantity: 2, title: 'Gooseneck kettle', variant: kettle }],
};

/** The worker, started with the pixel as a store pastes it. */
const startWorker = async (page: Page) => {
  await page.goto(`${env.demo.storeUrl}/test/index.html`);
  await page.evaluate(
    async ({ endpoint, writeKey, entity }) => {
      const worker = new Worker('/test/worker.js');
      (window as unknown as { pixel: Worker }).pixel = worker;
      await new Promise<void>((resolve) => {
        worker.onmessage = ({ data }) => data.started && resolve();
        worker.postMessage({ start: true, script: `${location.origin}/shopify-pixel.js`, options: { endpoint, writeKey, entity, flushInterval: 250 } });
      });
    },
    { endpoint: env.demo.collectorUrl, writeKey: env.demo.writeKey, entity: env.demo.entity },
  );
};
const publish = (page: Page, name: string, data: unknown = {}) =>
  page.evaluate(
    ({ name, data }) =>
      new Promise((resolve) => {
        const worker = (window as unknown as { pixel: Worker }).pixel;
        worker.onmessage = ({ data }) => resolve(data);
        worker.postMessage({ name, data });
      }),
    { name, data },
  );
const flush = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ log: Array<{ name: string; type?: string; outcome: string }>; stored: string | null }>((resolve) => {
        const worker = (window as unknown as { pixel: Worker }).pixel;
        worker.onmessage = ({ data }) => resolve(data);
        worker.postMessage({ flush: true });
      }),
  );

describe('Shopify Web Pixels', () => {
  it('maps the standard events to the catalog and delivers them from a worker', async () => {
    const page = await env.browser.newPage();
    await startWorker(page);
    expect(await page.evaluate(() => typeof document)).toBe('object'); // (the page has one; the worker does not)
    await publish(page, 'page_viewed');
    await publish(page, 'product_viewed', { productVariant: kettle });
    await publish(page, 'search_submitted', { searchResult: { query: 'kettle', productVariants: [kettle] } });
    await publish(page, 'product_added_to_cart', { cartLine: { quantity: 2, merchandise: kettle, cost: { totalAmount: money(118) } } });
    await publish(page, 'product_removed_from_cart', { cartLine: { quantity: 1, merchandise: kettle, cost: { totalAmount: money(59) } } });
    await publish(page, 'checkout_completed', { checkout });
    await publish(page, 'checkout_completed', { checkout }); // Shopify may fire it again on a reload of the thank-you page
    await publish(page, 'cart_viewed', { cart: null }); // no catalog counterpart: not subscribed
    const { log, stored } = await flush(page);

    const mine = () => storedEvents(env.demo, { anonymousId: 'shopify-client-1' });
    await waitFor(() => mine().length >= 6, { message: 'six pixel events stored' });
    const byType = Object.fromEntries(mine().map((e) => [e.type, e]));
    expect(Object.keys(byType).sort()).toEqual([
      'cart-product-added',
      'cart-product-removed',
      'product-searched',
      'product-visited',
      'purchase',
      'web-page-visited',
    ]);
    expect(byType['product-visited']!.body).toMatchObject({
      productId: '7001',
      variantId: '40112',
      sku: 'KET-1',
      name: 'Gooseneck kettle',
      price: 59,
      currency: 'EUR',
      brand: 'Brewco',
    });
    expect(byType['cart-product-added']!.body).toMatchObject({ productId: '7001', variantId: '40112', quantity: 2 });
    expect(byType.purchase!.body).toMatchObject({ orderId: '5550001', value: 118, currency: 'EUR', items: [{ productId: '7001', quantity: 2 }] });
    expect(byType['web-page-visited']!.context.page.url).toBe('https://shop.example/checkouts/cn/1');
    expect(mine().filter((e) => e.type === 'purchase')).toHaveLength(1);
    expect(log.find((entry) => entry.type === 'purchase' && entry.outcome === 'dropped:duplicate')).toBeDefined();
    expect(log.some((entry) => entry.name === 'cart_viewed')).toBe(false); // not subscribed: nothing to map it to
    expect(JSON.parse(stored ?? '[]')).toEqual([]); // acknowledged: the pixel's storage is empty again
    await page.close();
  });

  it('keeps events in the pixel’s storage while the collector is down, and sends them when it is back', async () => {
    const fault = (spec: Record<string, unknown>) =>
      fetch(`${env.demo.collectorUrl}/v1/admin/faults`, { method: 'POST', body: JSON.stringify(spec), headers: { Authorization: `Bearer ${env.demo.adminKey}` } });
    const page = await env.browser.newPage();
    await startWorker(page);
    await fault({ status: 503, retryAfter: 1, count: 1 });
    await publish(page, 'search_submitted', { searchResult: { query: 'outage', productVariants: [] } });
    const { stored } = await flush(page);
    expect(JSON.parse(stored ?? '[]').map((e: { type: string }) => e.type)).toEqual(['product-searched']);
    await waitFor(() => storedEvents(env.demo, { type: 'product-searched' }).some((e) => (e.body as { query?: string }).query === 'outage'), {
      message: 'the search sent after the 503',
    });
    await page.close();
  });
});

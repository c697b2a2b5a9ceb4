// Autocapture on pages built after each platform's real markup: the events the collector
// stores have the right type, ids, quantities and values, exactly once.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captured, fakeCarts, ofType } from './support/capture';
import { launchChromium } from './support/chromium';
import { type Demo, startTestDemo } from './support/demo';

let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  demo = await startTestDemo();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});
beforeEach(async () => {
  await context?.close();
  context = await browser.newContext();
  page = await context.newPage();
  await fakeCarts(page);
});

const open = async (path: string) => {
  await page.goto(demo.storeUrl + path);
  await page.waitForFunction(() => (window as any).shoptrail?.loaded);
};

describe('Shopify', () => {
  it('captures the product, a theme add by fetch, a refused add, a removal, a search and the order once', async () => {
    await open('/platforms/shopify/product.html');
    await page.click('#add');
    await page.waitForFunction(() => document.body.dataset.added);
    await page.click('#add-refused');
    await page.waitForFunction(() => document.body.dataset.refused);
    await page.click('#remove');
    await page.waitForFunction(() => document.body.dataset.removed);
    let events = await captured(demo, page, '/platforms/shopify/product', (e) => ofType(e, 'cart-product-removed').length > 0, 'Shopify cart events');
    expect(ofType(events, 'product-visited').map((e) => e.body)).toEqual([
      {
        productId: 'RS-42',
        sku: 'RS-42',
        name: 'Red Shoe',
        price: 59.9,
        currency: 'EUR',
        availability: 'InStock',
        brand: 'Acme',
        url: `${demo.storeUrl}/platforms/shopify/product.html`,
      },
    ]);
    expect(ofType(events, 'cart-product-added').map((e) => e.body)).toEqual([{ productId: '7001', variantId: '40112', quantity: 2, price: 59.9 }]);
    expect(ofType(events, 'cart-product-removed').map((e) => e.body)).toEqual([{ productId: '40112', variantId: '40112', quantity: 1 }]);
    expect(ofType(events, 'web-form-submitted')).toEqual([]);

    await open('/platforms/shopify/search/?q=red+shoes');
    await page.fill('input[type=search]', 'red sandal');
    await page.press('input[type=search]', 'Enter'); // the form's submit leads to the results page
    await page.waitForURL(/q=red\+sandal/);
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    events = await captured(demo, page, '/platforms/shopify/search', (e) => ofType(e, 'product-searched').length >= 2, 'Shopify searches');
    expect(ofType(events, 'product-searched').map((e) => e.body.query)).toEqual(['red shoes', 'red sandal']);
    expect(ofType(events, 'search')).toEqual([]);

    await open('/platforms/shopify/checkouts/c1/thank_you/');
    await page.reload();
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    events = await captured(demo, page, '/platforms/shopify/checkouts', (e) => ofType(e, 'web-page-visited').length >= 2, 'Shopify order');
    expect(ofType(events, 'purchase').map((e) => e.body)).toEqual([
      { orderId: '5550001', value: 119.8, currency: 'EUR', tax: 19.97, items: [{ productId: '7001', variantId: '40112', sku: 'RS-42', name: 'Red Shoe', price: 59.9, quantity: 2 }] },
    ]);
  });
});

// Autocapture on pages built after each platform's real markup: the events the collector
// stores have the right type, ids, quantities and values, exactly once.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { captured, fakeCarts, ofType } from './support/capture';
import { useDemoAndBrowser } from './support/demo';

const env = useDemoAndBrowser();
let context: BrowserContext;
let page: Page;

beforeEach(async () => {
  await context?.close();
  context = await env.browser.newContext();
  page = await context.newPage();
  await fakeCarts(page);
});

const open = async (path: string) => {
  await page.goto(env.demo.storeUrl + path);
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
    let events = await captured(env.demo, page, '/platforms/shopify/product', (e) => ofType(e, 'cart-product-removed').length > 0, 'Shopify cart events');
    expect(ofType(events, 'product-visited').map((e) => e.body)).toEqual([
      {
        productId: 'RS-42',
        variantId: '40112', // the offer's ?variant=
        sku: 'RS-42',
        name: 'Red Shoe',
        price: 59.9,
        currency: 'EUR',
        availability: 'InStock',
        brand: 'Acme',
        url: `${env.demo.storeUrl}/platforms/shopify/product.html`,
      },
    ]);
    // the answer's price in cents, and the page's currency (product:price:currency)
    expect(ofType(events, 'cart-product-added').map((e) => e.body)).toEqual([{ productId: '7001', variantId: '40112', quantity: 2, price: 59.9, currency: 'EUR' }]);
    expect(ofType(events, 'cart-product-removed').map((e) => e.body)).toEqual([{ productId: '40112', variantId: '40112', quantity: 1 }]);
    expect(ofType(events, 'web-form-submitted')).toEqual([]);

    await open('/platforms/shopify/search/?q=red+shoes');
    await page.fill('input[type=search]', 'red sandal');
    await page.press('input[type=search]', 'Enter'); // the form's submit leads to the results page
    await page.waitForURL(/q=red\+sandal/);
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    events = await captured(env.demo, page, '/platforms/shopify/search', (e) => ofType(e, 'product-searched').length >= 2, 'Shopify searches');
    expect(ofType(events, 'product-searched').map((e) => e.body.query)).toEqual(['red shoes', 'red sandal']);
    expect(ofType(events, 'search')).toEqual([]);

    await open('/platforms/shopify/checkouts/c1/thank_you/');
    await page.reload();
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    // The purchase comes from the capture chunk, so it may arrive after both page visits.
    const order = (e: Parameters<typeof ofType>[0]) => ofType(e, 'web-page-visited').length >= 2 && ofType(e, 'purchase').length > 0;
    events = await captured(env.demo, page, '/platforms/shopify/checkouts', order, 'Shopify order');
    expect(ofType(events, 'purchase').map((e) => e.body)).toEqual([
      {
        orderId: '5550001',
        value: 119.8,
        currency: 'EUR',
        tax: 19.97,
        items: [{ productId: '7001', variantId: '40112', sku: 'RS-42', name: 'Red Shoe', price: 59.9, quantity: 2 }],
      },
    ]);
  });
});

const bodies = (events: Parameters<typeof ofType>[0], type: string) => ofType(events, type).map((e) => e.body);

describe('Shopify Dawn', () => {
  it('reads structured_data (numeric variant id, SKU as sku), an add priced in the page currency and drawer removals by line', async () => {
    await open('/platforms/shopify/dawn.html');
    await page.click('#ProductSubmitButton-template--main');
    await page.waitForFunction(() => document.body.dataset.added);
    // line 1 is the sock: only the drawer's markup names it (the store never fetched its cart)
    await page.click('#CartDrawer-Remove-1 button');
    await page.waitForFunction(() => document.body.dataset.removed == '1');
    // line 1 is now the shoe: the cart the change answered names it
    await page.click('#CartDrawer-Remove-1 button');
    await page.waitForFunction(() => document.body.dataset.removed == '2');
    const events = await captured(env.demo, page, '/platforms/shopify/dawn', (e) => ofType(e, 'cart-product-removed').length >= 2, 'Dawn cart events');
    expect(bodies(events, 'product-visited')).toEqual([
      {
        productId: '7001',
        variantId: '40112',
        sku: 'RS-42',
        name: 'Red Shoe',
        price: 59.9,
        currency: 'EUR',
        availability: 'InStock',
        brand: 'Acme',
        url: `${env.demo.storeUrl}/platforms/shopify/dawn.html`,
      },
    ]);
    expect(bodies(events, 'cart-product-added')).toEqual([{ productId: '7001', variantId: '40112', quantity: 1, price: 59.9, currency: 'EUR' }]);
    expect(bodies(events, 'cart-product-removed')).toEqual([
      { productId: '40200', variantId: '40200', quantity: 1 },
      { productId: '7001', variantId: '40112', quantity: 1 },
    ]);
    expect(ofType(events, 'web-form-submitted')).toEqual([]);
  });
});

describe('WooCommerce', () => {
  it('captures the JSON-LD @graph product, XHR adds and removals (not a refused add) and product vs site searches', async () => {
    await open('/platforms/woocommerce/product.html');
    await page.click('.ajax_add_to_cart[data-product_id="55"]');
    await page.click('#sold-out');
    await page.click('.remove_from_cart_button');
    await page.waitForFunction(() => document.body.dataset.added && document.body.dataset.refused && document.body.dataset.removed);
    let events = await captured(env.demo, page, '/platforms/woocommerce/product', (e) => ofType(e, 'cart-product-removed').length > 0, 'WooCommerce cart events');
    expect(bodies(events, 'product-visited')).toEqual([
      {
        productId: 'MUG-1',
        sku: 'MUG-1',
        name: 'Blue Mug',
        price: 12.5,
        currency: 'EUR',
        availability: 'InStock',
        url: `${env.demo.storeUrl}/platforms/woocommerce/product.html`,
      },
    ]);
    expect(bodies(events, 'cart-product-added')).toEqual([{ productId: '55', quantity: 3 }]);
    expect(bodies(events, 'cart-product-removed')).toEqual([{ productId: '55', quantity: 1 }]);

    await open('/platforms/woocommerce/?s=blue+mug&post_type=product');
    await open('/platforms/woocommerce/?s=opening+hours');
    events = await captured(env.demo, page, '/platforms/woocommerce/', (e) => ofType(e, 'search').length > 0, 'WooCommerce searches');
    expect(bodies(events, 'product-searched')).toEqual([{ query: 'blue mug' }]);
    expect(bodies(events, 'search')).toEqual([{ query: 'opening hours' }]);
  });
});

describe('Magento 2', () => {
  it('captures the microdata product, the AJAX add of the product form and a catalog search', async () => {
    await open('/platforms/magento/product.html');
    await page.click('#product-addtocart-button');
    await page.waitForFunction(() => document.body.dataset.added);
    let events = await captured(env.demo, page, '/platforms/magento/product', (e) => ofType(e, 'cart-product-added').length > 0, 'Magento add');
    expect(bodies(events, 'product-visited')).toEqual([
      { productId: '24-MB01', sku: '24-MB01', name: 'Joust Duffle Bag', price: 34, currency: 'USD', url: `${env.demo.storeUrl}/platforms/magento/product.html` },
    ]);
    expect(bodies(events, 'cart-product-added')).toEqual([{ productId: '123', quantity: 2 }]);
    expect(ofType(events, 'web-form-submitted')).toEqual([]);

    await open('/platforms/magento/catalogsearch/result/?q=duffle');
    events = await captured(env.demo, page, '/platforms/magento/catalogsearch', (e) => ofType(e, 'product-searched').length > 0, 'Magento search');
    expect(bodies(events, 'product-searched')).toEqual([{ query: 'duffle' }]);
  });
});

describe('PrestaShop', () => {
  it('captures the microdata product, the cart controller add and delete, and a search', async () => {
    await open('/platforms/prestashop/product.html');
    await page.click('.add-to-cart');
    await page.waitForFunction(() => document.body.dataset.added);
    await page.click('#remove');
    await page.waitForFunction(() => document.body.dataset.removed);
    let events = await captured(env.demo, page, '/platforms/prestashop/product', (e) => ofType(e, 'cart-product-removed').length > 0, 'PrestaShop cart');
    expect(bodies(events, 'product-visited')).toEqual([
      {
        productId: 'demo_1',
        sku: 'demo_1',
        name: 'Hummingbird printed t-shirt',
        price: 23.52,
        currency: 'EUR',
        availability: 'InStock',
        url: `${env.demo.storeUrl}/platforms/prestashop/product.html`,
      },
    ]);
    expect(bodies(events, 'cart-product-added')).toEqual([{ productId: '1', quantity: 1 }]);
    expect(bodies(events, 'cart-product-removed')).toEqual([{ productId: '1', variantId: '2', quantity: 1 }]);
    expect(ofType(events, 'web-form-submitted')).toEqual([]);

    await open('/platforms/prestashop/search/?controller=search&s=hummingbird');
    events = await captured(env.demo, page, '/platforms/prestashop/search', (e) => ofType(e, 'product-searched').length > 0, 'PrestaShop search');
    expect(bodies(events, 'product-searched')).toEqual([{ query: 'hummingbird' }]);
  });
});

describe('PrestaShop 1.7 in French', () => {
  it('captures the AJAX add and the delete sent to the localised cart route /panier', async () => {
    await open('/platforms/prestashop/fr/product.html');
    await page.click('.add-to-cart');
    await page.waitForFunction(() => document.body.dataset.added);
    await page.click('#remove');
    await page.waitForFunction(() => document.body.dataset.removed);
    const events = await captured(env.demo, page, '/platforms/prestashop/fr/', (e) => ofType(e, 'cart-product-removed').length > 0, 'PrestaShop /panier');
    expect(bodies(events, 'cart-product-added')).toEqual([{ productId: '1', quantity: 1 }]);
    expect(bodies(events, 'cart-product-removed')).toEqual([{ productId: '1', variantId: '2', quantity: 1 }]);
    expect(ofType(events, 'web-form-submitted')).toEqual([]);
  });
});

describe('BigCommerce', () => {
  it('captures the Open Graph product, the stencil-utils add and search.php', async () => {
    await open('/platforms/bigcommerce/product.html');
    await page.click('#form-action-addToCart');
    await page.waitForFunction(() => document.body.dataset.added);
    let events = await captured(env.demo, page, '/platforms/bigcommerce/product', (e) => ofType(e, 'cart-product-added').length > 0, 'BigCommerce add');
    expect(bodies(events, 'product-visited')).toEqual([
      {
        productId: 'https://cornerstone-light-demo.mybigcommerce.com/orbit-terrarium-large/',
        name: 'Orbit Terrarium - Large',
        price: 109,
        currency: 'USD',
        availability: 'instock',
        url: `${env.demo.storeUrl}/platforms/bigcommerce/product.html`,
      },
    ]);
    expect(bodies(events, 'cart-product-added')).toEqual([{ productId: '77', quantity: 3 }]);

    await open('/platforms/bigcommerce/search.php?search_query=terrarium');
    events = await captured(env.demo, page, '/platforms/bigcommerce/search', (e) => ofType(e, 'product-searched').length > 0, 'BigCommerce search');
    expect(bodies(events, 'product-searched')).toEqual([{ query: 'terrarium' }]);
  });
});

describe('a GA4 dataLayer store', () => {
  it('captures view_item pushed before load, adds, removes, marked buttons, content, links, search and the purchase once', async () => {
    await open('/platforms/ga4/product.html');
    await page.click('#add');
    await page.click('#remove');
    await page.click('#gift');
    await page.evaluate(() => document.getElementById('reco')!.scrollIntoView());
    let events = await captured(env.demo, page, '/platforms/ga4/product', (e) => ofType(e, 'web-content-opened').length > 0, 'content opened');
    await page.click('#reco-link');
    await page.click('#insta', { modifiers: ['ControlOrMeta'] }); // a new tab: this page stays
    await page.click('#size-guide');
    await page.waitForURL(/size-guide/);
    events = await captured(env.demo, page, '/platforms/ga4/', (e) => ofType(e, 'web-link-clicked').length >= 2, 'link clicks');
    expect(bodies(events, 'product-visited')).toEqual([
      { productId: 'LS-100', variantId: 'LS-100-M', name: 'Linen Shirt', price: 89, currency: 'EUR', brand: 'Maison Lin', category: 'Shirts' },
    ]);
    expect(bodies(events, 'cart-product-added')).toEqual([
      { productId: 'LS-100', variantId: 'LS-100-M', name: 'Linen Shirt', price: 89, currency: 'EUR', quantity: 2 },
      { productId: 'GIFT-BOX', name: 'Gift box', price: 5, currency: 'EUR', quantity: 1 },
    ]);
    expect(bodies(events, 'cart-product-removed')).toEqual([{ productId: 'LS-100', name: 'Linen Shirt', price: 89, currency: 'EUR', quantity: 1 }]);
    expect(bodies(events, 'web-content-opened')).toEqual([{ contentId: 'reco-home-1', contentType: 'recommendation', name: 'You may also like' }]);
    expect(bodies(events, 'web-content-clicked')).toEqual([
      {
        contentId: 'reco-home-1',
        contentType: 'recommendation',
        name: 'You may also like',
        label: 'Linen trousers',
        url: `${env.demo.storeUrl}/platforms/ga4/product.html#trousers`,
      },
    ]);
    expect(bodies(events, 'web-link-clicked')).toEqual([
      { url: 'https://www.instagram.com/maisonlin/', label: 'Instagram', outbound: true },
      { url: `${env.demo.storeUrl}/platforms/ga4/size-guide.html`, label: 'Size guide', linkId: 'size-guide', outbound: false },
    ]);

    await open('/platforms/ga4/search.html');
    await open('/platforms/ga4/confirmation.html');
    await page.reload();
    await page.waitForFunction(() => (window as any).shoptrail?.loaded);
    const confirmed = (e: Parameters<typeof ofType>[0]) =>
      ofType(e, 'web-page-visited').filter((v) => v.context.page.path.endsWith('confirmation.html')).length >= 2 &&
      ofType(e, 'purchase').length > 0 &&
      ofType(e, 'product-searched').length > 0; // both from the capture chunk, after the page visits
    events = await captured(env.demo, page, '/platforms/ga4/', confirmed, 'order');
    expect(bodies(events, 'product-searched')).toEqual([{ query: 'linen' }]);
    expect(bodies(events, 'purchase')).toEqual([
      {
        orderId: 'ML-20261123-0042',
        value: 183,
        currency: 'EUR',
        tax: 30.5,
        shipping: 5,
        coupon: 'WELCOME10',
        items: [{ productId: 'LS-100', variantId: 'LS-100-M', name: 'Linen Shirt', price: 89, currency: 'EUR', quantity: 2 }],
      },
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { install, MARKUP_DELAY_MS } from '../../../src/capture/purchases';
import { at, fakeCore } from '../support/core';

const order = {
  '@context': 'https://schema.org',
  '@type': 'Order',
  orderNumber: 'A-1001',
  priceCurrency: 'EUR',
  price: '119.80',
  acceptedOffer: [{ '@type': 'Offer', price: 59.9, eligibleQuantity: { value: 2 }, itemOffered: { '@type': 'Product', sku: 'RS-42', name: 'Red shoe' } }],
};

describe('purchases', () => {
  let uninstall: () => void;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    at('https://s.example/checkout/thank-you');
    (window as any).dataLayer = [];
    delete (window as any).Shopify;
    document.head.innerHTML = '';
  });
  afterEach(() => {
    uninstall?.();
    vi.useRealTimers();
  });
  const run = async () => {
    const fake = fakeCore();
    uninstall = install(fake.core) as () => void;
    await vi.advanceTimersByTimeAsync(MARKUP_DELAY_MS); // page markup is read after GA4's replay
    uninstall();
    return fake.tracked;
  };

  it('reads a JSON-LD Order once, and never again on reload', async () => {
    document.head.innerHTML = `<script type="application/ld+json">${JSON.stringify(order)}</script>`;
    expect(await run()).toEqual([
      {
        type: 'purchase',
        body: { orderId: 'A-1001', value: 119.8, currency: 'EUR', items: [{ productId: 'RS-42', sku: 'RS-42', name: 'Red shoe', price: 59.9, quantity: 2 }] },
      },
    ]);
    expect(await run()).toEqual([]); // the reload
  });

  it('prefers a GA4 purchase of the same order to the JSON-LD one', async () => {
    document.head.innerHTML = `<script type="application/ld+json">${JSON.stringify(order)}</script>`;
    (window as any).dataLayer.push({ event: 'purchase', ecommerce: { transaction_id: 'A-1001', value: 119.8, currency: 'EUR', shipping: 4, items: [] } });
    expect(await run()).toEqual([{ type: 'purchase', body: { orderId: 'A-1001', value: 119.8, currency: 'EUR', shipping: 4, items: [] } }]);
  });

  it('reads a GA4 purchase with its items, tax and shipping', async () => {
    (window as any).dataLayer.push({
      event: 'purchase',
      ecommerce: {
        transaction_id: 'T9',
        value: 30,
        tax: 5,
        shipping: 4.5,
        currency: 'USD',
        coupon: 'XMAS',
        items: [{ item_id: 'M-9', item_name: 'Mug', price: 12.75, quantity: 2 }],
      },
    });
    expect((await run())[0]!.body).toEqual({
      orderId: 'T9',
      value: 30,
      currency: 'USD',
      tax: 5,
      shipping: 4.5,
      coupon: 'XMAS',
      items: [{ productId: 'M-9', name: 'Mug', price: 12.75, currency: 'USD', quantity: 2 }],
    });
  });

  it("reads Shopify's thank-you page object", async () => {
    (window as any).Shopify = {
      checkout: {
        order_id: 5550001,
        total_price: '42.00',
        currency: 'CAD',
        line_items: [{ product_id: 11, variant_id: 22, quantity: 1, price: '42.00', title: 'Tee' }],
      },
    };
    expect((await run())[0]!.body).toEqual({
      orderId: '5550001',
      value: 42,
      currency: 'CAD',
      items: [{ productId: '11', variantId: '22', name: 'Tee', price: 42, quantity: 1 }],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { findOrder, luhnValid, orderJsonLd, saveOrder, type Order } from '../../../../demo/storefront/client/shop/order';

const order: Order = {
  number: 'RC-123456',
  placedAt: '2026-11-23T10:00:00.000Z',
  lines: [{ productId: 'assam-breakfast', variantId: 'assam-breakfast-125', name: 'Assam Breakfast', sku: 'RT-ASM-125', price: 7.5, currency: 'EUR', quantity: 2 }],
  subtotal: 15,
  shipping: 4.9,
  total: 19.9,
  currency: 'EUR',
};

describe('shop orders', () => {
  it('finds a saved order by number, so the confirmation page is the same on reload', () => {
    saveOrder(order);
    saveOrder({ ...order, reported: true });
    expect(findOrder('RC-123456')).toEqual({ ...order, reported: true });
    expect(findOrder('RC-000000')).toBeUndefined();
    expect(findOrder(null)).toBeUndefined();
  });

  it('describes the order as schema.org Order with number, price, currency and items', () => {
    const ld = orderJsonLd(order);
    expect(ld).toMatchObject({ '@type': 'Order', orderNumber: 'RC-123456', price: '19.90', priceCurrency: 'EUR' });
    expect(ld.acceptedOffer).toEqual([
      {
        '@type': 'Offer',
        itemOffered: { '@type': 'Product', productID: 'assam-breakfast', sku: 'RT-ASM-125', name: 'Assam Breakfast' },
        price: '7.50',
        priceCurrency: 'EUR',
        eligibleQuantity: { '@type': 'QuantitativeValue', value: 2 },
      },
    ]);
    expect(ld.orderedItem).toEqual([
      {
        '@type': 'OrderItem',
        orderQuantity: 2,
        orderedItem: {
          '@type': 'Product',
          productID: 'assam-breakfast',
          sku: 'RT-ASM-125',
          name: 'Assam Breakfast',
          offers: { '@type': 'Offer', price: '7.50', priceCurrency: 'EUR' },
        },
      },
    ]);
  });

  it('checks card numbers with Luhn', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('4242')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { changeLine, lineFromButton, loadCart, saveCart, totals, type CartLine } from '../../../../demo/storefront/client/shop/cart';

const line = (fields: Partial<CartLine> = {}): CartLine => ({
  productId: 'colombia-huila',
  variantId: 'colombia-huila-whole',
  name: 'Colombia Huila',
  sku: 'RC-COL-250',
  price: 12.9,
  currency: 'EUR',
  quantity: 1,
  ...fields,
});

describe('shop cart', () => {
  it('adds to a line per variant, takes away, and removes a line at zero', () => {
    let lines = changeLine([], line(), 2);
    lines = changeLine(lines, line(), 1);
    lines = changeLine(lines, line({ variantId: 'colombia-huila-filter' }), 1);
    expect(lines.map((l) => [l.variantId, l.quantity])).toEqual([
      ['colombia-huila-whole', 3],
      ['colombia-huila-filter', 1],
    ]);
    lines = changeLine(lines, line(), -3);
    expect(lines.map((l) => l.variantId)).toEqual(['colombia-huila-filter']);
    expect(changeLine(lines, line({ variantId: 'nope' }), -1)).toBe(lines);
  });

  it('totals with free shipping from €40', () => {
    expect(totals([line({ quantity: 2 })])).toEqual({ subtotal: 25.8, shipping: 4.9, total: 30.7, count: 2 });
    expect(totals([line({ quantity: 4 })])).toEqual({ subtotal: 51.6, shipping: 0, total: 51.6, count: 4 });
    expect(totals([])).toEqual({ subtotal: 0, shipping: 0, total: 0, count: 0 });
  });

  it('reads a line from the same data-shoptrail-* attributes the tracker reads, prices from the catalogue', () => {
    const button = document.createElement('button');
    Object.assign(button.dataset, {
      shoptrailCart: 'add',
      shoptrailProductId: 'sencha-kyoto',
      shoptrailVariantId: 'sencha-kyoto-250',
      shoptrailQuantity: '3',
      shoptrailPrice: '0.01',
      shoptrailCurrency: 'EUR',
    });
    expect(lineFromButton(button)).toEqual({
      productId: 'sencha-kyoto',
      variantId: 'sencha-kyoto-250',
      name: 'Sencha Kyoto',
      sku: 'RT-SEN-100',
      price: 9.8,
      currency: 'EUR',
      quantity: 3,
    });
    button.dataset.shoptrailProductId = 'unknown';
    expect(lineFromButton(button)).toBeNull();
  });

  it('keeps the cart in localStorage and survives garbage there', () => {
    saveCart([line()]);
    expect(loadCart()).toEqual([line()]);
    localStorage.setItem('ridgeline.cart', '{not json');
    expect(loadCart()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { cleanUrl } from '../../../src/lib/url';

describe('cleanUrl', () => {
  it('drops parameters that name a secret', () => {
    expect(cleanUrl('https://shop.example/reset?token=abc123&step=2')).toBe('https://shop.example/reset?step=2');
    expect(cleanUrl('https://shop.example/?Email=a%40b.co&utm_source=news')).toBe('https://shop.example/?utm_source=news');
  });

  it('masks email addresses wherever they are', () => {
    expect(cleanUrl('https://shop.example/u/ana@example.com/orders')).toBe('https://shop.example/u/redacted/orders');
    expect(cleanUrl('https://shop.example/?ref=ana%40example.com')).toBe('https://shop.example/?ref=redacted');
  });

  it('leaves ordinary URLs alone', () => {
    expect(cleanUrl('https://shop.example/p/linen-shirt?color=blue#reviews')).toBe('https://shop.example/p/linen-shirt?color=blue#reviews');
    expect(cleanUrl('')).toBe('');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lookup } from '../../../src/catalog';
import { duplicate } from '../../../src/guards/duplicate';
import { useFakeClock } from '../support/clock';
import { makeEvent } from '../support/events';

const check = (guard: ReturnType<typeof duplicate>, type: string, body: Record<string, unknown>) => guard(makeEvent(type, body), lookup(type)!);
const click = { contentId: 'hero', contentType: 'banner' };
const order = (orderId: string) => ({ orderId, value: 10, currency: 'EUR', items: [] });

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('duplicate guard', () => {
  it('drops an identical event within the window, and lets it through after', () => {
    const guard = duplicate(1000);
    expect(check(guard, 'web-content-clicked', click)).toBeUndefined();
    vi.advanceTimersByTime(300);
    expect(check(guard, 'web-content-clicked', click)).toBe('duplicate');
    expect(check(guard, 'web-content-clicked', { ...click, contentId: 'other' })).toBeUndefined();
    expect(check(guard, 'web-content-opened', click)).toBeUndefined();
    vi.advanceTimersByTime(1000);
    expect(check(guard, 'web-content-clicked', click)).toBeUndefined();
  });

  it('an identical body on another page is another event (client-side navigations)', () => {
    const guard = duplicate(1000);
    const visit = (url: string) => {
      const event = makeEvent('web-page-visited', {});
      event.context.page.url = url;
      return guard(event, lookup('web-page-visited')!);
    };
    expect(visit('https://shop.example/a')).toBeUndefined();
    expect(visit('https://shop.example/b')).toBeUndefined();
    expect(visit('https://shop.example/b')).toBe('duplicate');
  });

  it('only a repeat of the event just before is a duplicate: A, B, A are three', () => {
    const guard = duplicate(1000);
    expect(check(guard, 'web-content-clicked', click)).toBeUndefined();
    expect(check(guard, 'web-content-clicked', { ...click, contentId: 'other' })).toBeUndefined();
    expect(check(guard, 'web-content-clicked', click)).toBeUndefined();
    expect(check(guard, 'web-content-clicked', click)).toBe('duplicate');
  });

  it('a run of repeats stays suppressed: the window restarts with each one', () => {
    const guard = duplicate(1000);
    check(guard, 'search', { query: 'shoes' });
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(900);
      expect(check(guard, 'search', { query: 'shoes' })).toBe('duplicate');
    }
  });

  it('lets identical cart changes through: each click changes the quantity', () => {
    const guard = duplicate(1000);
    const add = { productId: 'p1', quantity: 1 };
    expect(check(guard, 'cart-product-added', add)).toBeUndefined();
    expect(check(guard, 'cart-product-added', add)).toBeUndefined();
  });

  it('drops a purchase whose orderId was seen, however late, and remembers orders across pages', () => {
    const guard = duplicate(1000, 'test.orders');
    expect(check(guard, 'purchase', order('A-1'))).toBeUndefined();
    vi.advanceTimersByTime(3_600_000);
    expect(check(guard, 'purchase', order('A-1'))).toBe('duplicate');
    expect(check(guard, 'purchase', order('A-2'))).toBeUndefined();
    // A reloaded confirmation page: a new guard, the same storage.
    const next = duplicate(1000, 'test.orders');
    expect(check(next, 'purchase', order('A-1'))).toBe('duplicate');
    expect(check(next, 'purchase', order('A-3'))).toBeUndefined();
  });

  it('writes no order to storage without consent', () => {
    const guard = duplicate(1000, 'test.orders', () => false);
    expect(check(guard, 'purchase', order('A-1'))).toBeUndefined();
    expect(check(guard, 'purchase', order('A-1'))).toBe('duplicate');
    expect(localStorage.getItem('test.orders')).toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lookup } from '../../../src/catalog';
import { rateLimit } from '../../../src/guards/rateLimit';
import { useFakeClock } from '../support/clock';
import { makeEvent } from '../support/events';

const check = (guard: ReturnType<typeof rateLimit>, type: string, body: Record<string, unknown> = {}) => guard(makeEvent(type, body), lookup(type)!);
const passed = (guard: ReturnType<typeof rateLimit>, type: string, n: number) => {
  let ok = 0;
  for (let i = 0; i < n; i++) if (!check(guard, type)) ok++;
  return ok;
};

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('rate-limit guard', () => {
  it('low priority: a burst of 10, then 30 a minute', () => {
    const guard = rateLimit();
    expect(passed(guard, 'web-content-clicked', 100)).toBe(10);
    expect(check(guard, 'web-content-clicked')).toBe('rate-limit');
    vi.advanceTimersByTime(2000); // one token per 2 s
    expect(passed(guard, 'web-content-clicked', 100)).toBe(1);
    vi.advanceTimersByTime(60_000);
    expect(passed(guard, 'web-content-clicked', 100)).toBe(10); // refilled to the burst, not beyond
  });

  it('normal priority: a burst of 20, 60 a minute; each type has its own bucket', () => {
    const guard = rateLimit();
    expect(passed(guard, 'web-page-visited', 100)).toBe(20);
    expect(passed(guard, 'product-visited', 100)).toBe(20);
    vi.advanceTimersByTime(1000);
    expect(passed(guard, 'web-page-visited', 100)).toBe(1);
  });

  it('never limits essential or free events', () => {
    const guard = rateLimit();
    expect(passed(guard, 'cart-product-added', 1000)).toBe(1000);
    expect(passed(guard, 'purchase', 1000)).toBe(1000);
    expect(passed(guard, 'web-vitals', 1000)).toBe(1000);
  });

  it('takes limits per type from the options', () => {
    const guard = rateLimit({ search: { perMinute: 6, burst: 2 } });
    expect(passed(guard, 'search', 10)).toBe(2);
    vi.advanceTimersByTime(10_000);
    expect(passed(guard, 'search', 10)).toBe(1);
  });

  it('10,000 clicks in a minute pass no more than the burst plus the minute of refill, while a purchase passes', () => {
    const guard = rateLimit();
    let ok = 0;
    let purchase: string | undefined = 'not tracked';
    for (let i = 0; i < 10_000; i++) {
      if (!check(guard, 'web-content-clicked')) ok++;
      if (i === 5000) purchase = check(guard, 'purchase');
      vi.advanceTimersByTime(6); // 10,000 × 6 ms = one minute
    }
    expect(ok).toBeLessThanOrEqual(10 + 30);
    expect(ok).toBeGreaterThanOrEqual(39);
    expect(purchase).toBeUndefined();
  });
});

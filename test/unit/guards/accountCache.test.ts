// The allowance guard's cache of the account figures (`<name>.account` in localStorage, read
// synchronously by the next page): written when the figures moved a hundredth of the allowance
// or the allowance changed, and on page hide with the latest, not on every batch reply (a
// localStorage write costs Chromium's main thread 200–500 µs).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountUsage } from '../../../src/protocol';
import { guards } from '../../../src/guards';
import { createTracker } from '../../../src/tracker';
import { settle, useFakeClock } from '../support/clock';
import { fakeCollector } from '../support/collector';

let collector: ReturnType<typeof fakeCollector>;
let used = 0;
let allowance = 10_000;

beforeEach(() => {
  useFakeClock();
  collector = fakeCollector();
  vi.stubGlobal('fetch', collector.fetch);
  collector.answer((request) => {
    used += request.body.events.length;
    const usage: AccountUsage = { cycleStart: '2026-12-01', cycleEnd: '2027-01-01', used, allowance };
    return { status: 200, body: { accepted: request.body.events.length, duplicates: 0, rejected: [], usage } };
  });
});
afterEach(async () => {
  await settle();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const cached = () => JSON.parse(localStorage.getItem('shoptrail.account') ?? 'null') as AccountUsage | null;

describe('the account cache', () => {
  it('is written when the figures moved a hundredth of the allowance, or the allowance changed, and on hide', async () => {
    used = 0;
    allowance = 10_000;
    const tracker = createTracker({ endpoint: 'https://collect.example', writeKey: 'pk_test', gzip: false, flushAt: 500, guardMode: 'observe' }, [guards]); // (observe: the rate limit would drop most of these)
    const writes = vi.spyOn(localStorage, 'setItem');
    const accountWrites = () => writes.mock.calls.filter(([key]) => key === 'shoptrail.account').length;
    const batch = async (n: number) => {
      for (let i = 0; i < n; i++) tracker.track('custom-event', { name: 'step' });
      await settle();
      await tracker.flush();
    };
    await settle();
    await batch(10); // the first reply: nothing cached yet
    expect(accountWrites()).toBe(1);
    const first = cached()!.used;
    await batch(40); // 40 of 10,000: less than a hundredth
    await batch(40);
    expect(accountWrites()).toBe(1);
    expect(cached()!.used).toBe(first);
    await batch(40); // 120 since the last write: past 100
    expect(accountWrites()).toBe(2);
    expect(cached()!.used).toBe(used);
    allowance = 20_000; // a new plan
    await batch(1);
    expect(accountWrites()).toBe(3);
    expect(cached()!.allowance).toBe(20_000);
    await batch(5);
    expect(cached()!.used).toBeLessThan(used);
    window.dispatchEvent(new Event('pagehide')); // the next page gets the latest
    expect(cached()).toMatchObject({ used, allowance: 20_000 });
    expect(accountWrites()).toBe(4);
    tracker.shutdown();
  });
});

// Per-key rate limit: a token bucket, 429 with Retry-After when empty.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { createRateLimiter } from '../../src/collector/rateLimit';
import { batch, event, OTHER_KEY, post, testCollector, testConfig } from './support/app';

let collector: Collector;
afterEach(() => collector?.close());

describe('rate limit', () => {
  it('lets a burst through, then refills at the rate', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 0]);
    expect(limiter.take('k')).toBe(1);
    expect(limiter.take('other')).toBe(0);
    now += 500;
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(1);
  });

  it('says how long to wait when the rate is under one a second', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 0.1, burst: 1 }, () => now);
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(10);
    now += 5000;
    expect(limiter.take('k')).toBe(5);
  });

  it('answers 429 with Retry-After per write key, storing nothing', async () => {
    let now = 0;
    collector = testCollector({ config: testConfig(1, 2), now: () => now });
    expect((await post(collector, batch([event()]))).status).toBe(200);
    expect((await post(collector, batch([event()]))).status).toBe(200);
    const limited = await post(collector, batch([event()]));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('1');
    expect(await limited.json()).toMatchObject({ retryAfter: 1 });
    // Another key has its own bucket.
    const theirs = event('web-page-visited', undefined, { entity: 'other' });
    expect((await post(collector, batch([theirs], OTHER_KEY))).status).toBe(200);
    now += 1000;
    expect((await post(collector, batch([event()]))).status).toBe(200);
  });
});

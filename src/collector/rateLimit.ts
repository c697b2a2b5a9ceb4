// A token bucket per write key: `burst` requests at once, then `perSecond` sustained.
import type { RateLimitConfig } from './keys';

export interface RateLimiter {
  /** 0 when the request may go, else the seconds to wait before the next one may. */
  take(key: string): number;
}

export const createRateLimiter = (config: RateLimitConfig, now: () => number = Date.now): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: config.burst, at: t };
      bucket.tokens = Math.min(config.burst, bucket.tokens + ((t - bucket.at) / 1000) * config.perSecond);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / config.perSecond));
    },
  };
};

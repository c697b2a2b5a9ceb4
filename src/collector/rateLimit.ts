// A rate per key with bursts, as GCRA (the generic cell rate algorithm): a key's whole state is
// one time, the "theoretical arrival time" of its next request. A request may go when that time
// is at most `burst - 1` intervals ahead of now. One number per key is what lets replicas share
// the limit through a database row (storage/index.ts takeToken) as easily as a Map holds it here.
import type { RateLimitConfig } from './keys';

export interface RateLimiter {
  /** 0 when the request may go, else the seconds to wait before the next one may. */
  take(key: string): number;
}

/** One request against a bucket whose arrival time is `tat` (undefined: a new, full bucket). */
export const gcra = (tat: number | undefined, now: number, { perSecond, burst }: RateLimitConfig): { wait: number; tat: number } => {
  const interval = 1000 / perSecond;
  const ahead = Math.max(tat ?? now, now) - now;
  const over = ahead - (burst - 1) * interval;
  if (over > 0) return { wait: Math.max(1, Math.ceil(over / 1000)), tat: tat ?? now };
  return { wait: 0, tat: now + ahead + interval };
};

/** A limiter kept in this process's memory. */
export const createRateLimiter = (config: RateLimitConfig, now: () => number = Date.now): RateLimiter => {
  const buckets = new Map<string, number>();
  return {
    take(key) {
      const { wait, tat } = gcra(buckets.get(key), now(), config);
      buckets.set(key, tat);
      return wait;
    },
  };
};

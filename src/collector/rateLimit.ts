// A rate per key with bursts, as GCRA (the generic cell rate algorithm): a key's whole state is
// one time, the "theoretical arrival time" of its next request. A request may go when that time
// is at most `burst - 1` intervals ahead of now. One number per key is what lets replicas share
// the limit through a database row (storage/index.ts takeTokens) as easily as a Map holds it here.
import type { RateLimitConfig } from './keys';

export interface RateLimiter {
  /** 0 when the request may go, else the seconds to wait before the next one may. */
  take(key: string): number;
}

/** A rate with bursts: `perSecond` units sustained, `burst` at once. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/**
 * Take `cost` units (1 request, n events, n bytes) from a bucket whose arrival time is `tat`
 * (undefined: a new, full bucket). A cost over the burst takes the whole burst: it could
 * never fit otherwise, and the size limits already bound one request.
 */
export const gcra = (tat: number | undefined, now: number, { perSecond, burst }: Rate, cost = 1): { wait: number; tat: number } => {
  const interval = 1000 / perSecond;
  const units = Math.min(Math.max(cost, 0), burst);
  const ahead = Math.max(tat ?? now, now) - now;
  const over = ahead + units * interval - burst * interval;
  if (over > 1e-9) return { wait: Math.max(1, Math.ceil(over / 1000)), tat: tat ?? now };
  return { wait: 0, tat: now + ahead + units * interval };
};

/** One take from a key's bucket, for Storage.takeTokens. */
export interface Take {
  bucket: string;
  rate: Rate;
  cost: number;
}

/** Documented defaults of the per-key budgets (docs/collector.md, config.ts). */
export const DEFAULT_RATE = {
  perSecond: 50,
  burst: 100,
  eventsPerSecond: 1_000,
  eventsBurst: 10_000,
  bytesPerSecond: 2 * 1024 * 1024,
  bytesBurst: 8 * 1024 * 1024,
} as const;

/** The key's three budgets: requests, events and bytes, each with its own bucket. */
export const budgets = (key: string, config: RateLimitConfig) => ({
  requests: (): Take => ({ bucket: key, rate: config, cost: 1 }),
  events: (n: number): Take => ({
    bucket: `${key}#events`,
    rate: { perSecond: config.eventsPerSecond ?? DEFAULT_RATE.eventsPerSecond, burst: config.eventsBurst ?? DEFAULT_RATE.eventsBurst },
    cost: n,
  }),
  bytes: (n: number): Take => ({
    bucket: `${key}#bytes`,
    rate: { perSecond: config.bytesPerSecond ?? DEFAULT_RATE.bytesPerSecond, burst: config.bytesBurst ?? DEFAULT_RATE.bytesBurst },
    cost: n,
  }),
});

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

// Per-type token buckets: a runaway loop or a bot spends the burst, then a steady trickle.
// Essential and free events are never limited.
import type { Guard } from '../tracker';

export interface Limit {
  perMinute: number;
  burst: number;
}

/** Defaults by priority; `essential` has no limit. */
export const defaultLimits: Record<string, Limit> = {
  low: { perMinute: 30, burst: 10 },
  normal: { perMinute: 60, burst: 20 },
};

export const rateLimit = (limits: Record<string, Limit> = {}): Guard => {
  const buckets: Record<string, { tokens: number; at: number }> = {};
  return (event, entry) => {
    const limit = limits[event.type] || defaultLimits[entry.priority];
    if (!limit || !entry.billable) return;
    const now = Date.now();
    const b = (buckets[event.type] ||= { tokens: limit.burst, at: now });
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) * limit.perMinute) / 6e4);
    b.at = now;
    if (b.tokens < 1) return 'rate-limit';
    b.tokens--;
  };
};

// Per-type token buckets: a runaway loop or a bot spends the burst, then a steady trickle.
// Essential and free events are never limited.
import type { Guard } from '../plugin';

interface Limit {
  perMinute: number;
  burst: number;
}

/** Defaults by priority; `essential` has no limit. */
const defaultLimits: Record<string, Limit> = {
  low: { perMinute: 30, burst: 10 },
  normal: { perMinute: 60, burst: 20 },
};

export const rateLimit = (limits: Record<string, Limit> = {}): Guard => {
  /** Per type: [tokens, last refill]. */
  const buckets: Record<string, [number, number]> = {};
  return (event, entry) => {
    const limit = limits[event.type] || defaultLimits[entry.priority];
    if (!limit || !entry.billable) return;
    const now = Date.now();
    const b = (buckets[event.type] ||= [limit.burst, now]);
    b[0] = Math.min(limit.burst, b[0] + ((now - b[1]) * limit.perMinute) / 6e4);
    b[1] = now;
    if (b[0] < 1) return 'rate-limit';
    b[0]--;
  };
};

// Fault injection for tests: staged outages of POST /v1/batch. Off unless the collector was
// started with faults enabled; then set with POST /v1/admin/faults, cleared with DELETE.
export interface FaultSpec {
  /** Answer this instead of handling the batch (503 by default when no delay is given). */
  status?: 503 | 429 | 500;
  /** Seconds, sent as Retry-After with 429 and 503. */
  retryAfter?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** The fault lasts this long… */
  forMs?: number;
  /** …or for this many requests; with neither, until cleared. */
  count?: number;
  /** Store the batch, then answer the failure status: a crash after the write. */
  storeThenFail?: boolean;
  /**
   * Fail only batches whose decoded body contains this text (500 unless `status` says
   * otherwise): an event the collector cannot store, e.g. issue 18's poison. Other batches go
   * through; `count` still counts every request.
   */
  failIfContains?: string;
}

export interface Fault {
  status?: 503 | 429 | 500;
  retryAfter?: number;
  delayMs: number;
  storeThenFail: boolean;
  failIfContains?: string;
}

export interface Faults {
  set(spec: FaultSpec): void;
  clear(): void;
  /** The fault for this request, if one is active (counts it against `count`). */
  take(): Fault | undefined;
}

/**
 * Upper bounds of a fault's numbers: a staged outage is for tests, and a `delayMs` of 1e9 would
 * hold a request (and its socket) for days, a `retryAfter` of 1e12 park a browser's queue forever.
 */
export const FAULT_MAX = {
  /** One minute. */
  delayMs: 60_000,
  /** One hour, as Retry-After seconds. */
  retryAfter: 3_600,
  /** One day. */
  forMs: 86_400_000,
  count: 1_000_000,
} as const;

/** Check a fault spec from the wire; a message when it is not one. */
export const parseFaultSpec = (raw: unknown): FaultSpec | string => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected a JSON object';
  const spec = raw as Record<string, unknown>;
  const allowed = ['status', 'retryAfter', 'delayMs', 'forMs', 'count', 'storeThenFail', 'failIfContains'];
  const unknown = Object.keys(spec).filter((k) => !allowed.includes(k));
  if (unknown.length) return `unknown keys ${unknown.join(', ')}`;
  if (spec.status !== undefined && ![503, 429, 500].includes(spec.status as number)) return 'status must be 503, 429 or 500';
  for (const [key, max] of Object.entries(FAULT_MAX)) {
    const v = spec[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) return `${key} must be an integer from 0 to ${max}`;
  }
  if (spec.storeThenFail !== undefined && typeof spec.storeThenFail !== 'boolean') return 'storeThenFail must be a boolean';
  const marker = spec.failIfContains;
  if (marker !== undefined && (typeof marker !== 'string' || !marker || marker.length > 200)) return 'failIfContains must be a string of 1 to 200 characters';
  if (marker !== undefined && spec.storeThenFail) return 'failIfContains and storeThenFail do not go together';
  return spec as FaultSpec;
};

export const createFaults = (now: () => number = Date.now): Faults => {
  let active: { spec: FaultSpec; until: number; left: number } | undefined;
  return {
    set(spec) {
      active = { spec, until: spec.forMs === undefined ? Infinity : now() + spec.forMs, left: spec.count ?? Infinity };
    },
    clear() {
      active = undefined;
    },
    take() {
      if (!active) return undefined;
      if (now() >= active.until || active.left <= 0) {
        active = undefined;
        return undefined;
      }
      active.left -= 1;
      const { spec } = active;
      const status = spec.status ?? (spec.failIfContains ? 500 : spec.delayMs && !spec.storeThenFail ? undefined : 503);
      return { status, retryAfter: spec.retryAfter, delayMs: spec.delayMs ?? 0, storeThenFail: spec.storeThenFail ?? false, failIfContains: spec.failIfContains };
    },
  };
};

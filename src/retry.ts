// What to do after a failed send. The rules are Segment's, the most complete among the SDKs
// (DESIGN.md "Lessons"): a 4xx is final except 408, 410, 429 and 460; a 5xx is retried except
// 501, 505 and 511; retries back off exponentially with full jitter (capped at 60 s) and honour
// Retry-After (capped at 300 s). 413 is ours: the batch is split, not dropped. So are 401 and
// 403: a wrong write key or origin is the store's configuration, not a verdict on the events,
// so they are kept and this page stops sending (issue 13).

const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;
export const RETRY_AFTER_CAP_MS = 300_000;

export type Verdict = 'ack' | 'retry' | 'drop' | 'split' | 'refused';

/** Classify an HTTP status; 0 stands for a network error (offline, DNS, CORS, reset). */
export const verdictFor = (status: number): Verdict => {
  if (status >= 200 && status < 300) return 'ack';
  if (status === 413) return 'split';
  if (status === 401 || status === 403) return 'refused';
  if (status >= 500) return status === 501 || status === 505 || status === 511 ? 'drop' : 'retry';
  return status === 0 || status === 408 || status === 410 || status === 429 || status === 460 ? 'retry' : 'drop';
};

/** Full jitter: a random delay in [0, min(cap, base · 2^attempt)) (AWS architecture blog). */
export const backoffDelay = (attempt: number, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16)));

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`, capped; undefined if absent or unreadable. */
export const parseRetryAfter = (value: string | null | undefined, now = Date.now()): number | undefined => {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, Math.round(ms)));
};

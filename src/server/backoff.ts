// When the SDK sends a failed batch again (the rules of DESIGN.md "Lessons": at least as well as
// Segment): exponential from `baseMs`, capped at `maxMs`, with jitter over the upper half so
// many servers that failed together do not retry together; a Retry-After (seconds or an HTTP
// date, capped at 300 s) wins when it is later.
export const MAX_RETRY_AFTER_S = 300;

export const backoffDelay = (attempt: number, baseMs: number, maxMs: number, random = Math.random): number => {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
};

/** Milliseconds a Retry-After header asks for, or undefined. */
export const retryAfterMs = (header: string | null, now = Date.now()): number | undefined => {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds, MAX_RETRY_AFTER_S) * 1000;
};

/** Statuses worth sending again: the collector (or a proxy) may answer otherwise later. */
export const retryable = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);

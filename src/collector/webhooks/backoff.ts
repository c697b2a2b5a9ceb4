// When a failed delivery is tried again: exponential from 10 s, doubling, capped at 6 h, with
// full jitter over the upper half so receivers that failed together are not hit together; a
// receiver's Retry-After, when later, wins. The outbox turns anything past 24 h into a dead letter.
const BASE_MS = 10_000;
const CAP_MS = 6 * 3_600_000;

export const retryDelay = (attempts: number, retryAfterSeconds?: number, random = Math.random): number => {
  const exp = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  const delay = exp / 2 + random() * (exp / 2);
  return Math.max(delay, (retryAfterSeconds ?? 0) * 1000);
};

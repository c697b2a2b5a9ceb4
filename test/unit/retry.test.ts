import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay, parseRetryAfter, RETRY_AFTER_CAP_MS, verdictFor } from '../../src/retry';

describe('verdictFor', () => {
  it.each([
    [200, 'ack'],
    [204, 'ack'],
    [0, 'retry'],
    [408, 'retry'],
    [410, 'retry'],
    [429, 'retry'],
    [460, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [501, 'drop'],
    [505, 'drop'],
    [511, 'drop'],
    [400, 'drop'],
    [401, 'refused'],
    [403, 'refused'],
    [404, 'drop'],
    [413, 'split'],
  ] as const)('%i → %s', (status, verdict) => {
    expect(verdictFor(status)).toBe(verdict);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially under full jitter and is capped', () => {
    expect(backoffDelay(0, () => 0.999)).toBe(999);
    expect(backoffDelay(3, () => 0.999)).toBe(7992);
    expect(backoffDelay(30, () => 0.999)).toBe(Math.floor(0.999 * BACKOFF_CAP_MS));
    expect(backoffDelay(5, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it('reads delta-seconds', () => expect(parseRetryAfter('7', now)).toBe(7000));
  it('reads fractions', () => expect(parseRetryAfter('1.5', now)).toBe(1500));
  it('reads an HTTP date', () => expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000));
  it('never goes negative', () => expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0));
  it('caps what it honours', () => expect(parseRetryAfter('86400', now)).toBe(RETRY_AFTER_CAP_MS));
  it('ignores garbage', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

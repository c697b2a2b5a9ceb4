import { describe, expect, it } from 'vitest';
import { createIsolation, isolate, mayBePoison, pick, SPLIT_AFTER, stored } from '../../src/poison';
import type { QueueItem } from '../../src/queue';
import type { SendResult } from '../../src/transport';

const items = (n: number): QueueItem[] => Array.from({ length: n }, (_, i) => ({ k: `k${i}`, id: `e${i}`, type: 'custom-event', r: 1, json: '{}', bytes: 2 }));
const answer = (status: number, retryAfterMs?: number): SendResult => ({
  verdict: status >= 500 ? 'retry' : 'ack',
  retryAfterMs,
  report: { batchId: 'b', ids: [], bytes: 0, wireBytes: 0, encoding: 'identity', transport: 'fetch', status, outcome: 'retry' },
});

describe('poison isolation', () => {
  it('suspects a 5xx other than 503, and none with Retry-After', () => {
    expect(mayBePoison(answer(500))).toBe(true);
    expect(mayBePoison(answer(502))).toBe(true);
    expect(mayBePoison(answer(503))).toBe(false);
    expect(mayBePoison(answer(500, 1000))).toBe(false);
    expect(mayBePoison(answer(200))).toBe(false);
  });

  it(`backs off for the first ${SPLIT_AFTER - 1} failures, then halves until one event fails alone`, () => {
    const iso = createIsolation(100);
    const batch = items(10);
    expect(isolate(iso, batch, 0, 100)).toBe(false);
    expect(isolate(iso, batch, SPLIT_AFTER - 1, 100)).toBe(true);
    expect(iso.cap).toBe(5);
    expect(isolate(iso, batch.slice(0, 5), 0, 100)).toBe(true); // while isolating, at once
    expect(iso.cap).toBe(3);
    expect(isolate(iso, batch.slice(0, 1), 0, 100)).toBe(true);
    expect([...iso.suspects.keys()]).toEqual(['e0']);
    expect(pick(iso, batch, 100).map((item) => item.id)).toEqual(['e1', 'e2', 'e3']);
    expect(stored(iso, 100).map((item) => item.id)).toEqual(['e0']); // a batch without it was stored
    expect(iso.cap).toBe(6);
    expect(iso.suspects.size).toBe(0);
  });

  it('gives up suspecting when every event fails alone: a collector down, not poison', () => {
    const iso = createIsolation(1);
    const [a, b, c] = items(3);
    expect(isolate(iso, [a!], SPLIT_AFTER, 1)).toBe(true);
    expect(isolate(iso, [b!], SPLIT_AFTER, 1)).toBe(true);
    expect(isolate(iso, [c!], SPLIT_AFTER, 1)).toBe(false);
    expect(iso.suspects.size).toBe(0);
  });
});

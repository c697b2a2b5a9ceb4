// Fault injection: off unless enabled; then staged failures for a count or a window.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { ADMIN_KEY, batch, event, OTHER_ADMIN_KEY, post, read, testCollector, WRITE_KEY } from './support/app';

let collector: Collector;
afterEach(() => collector?.close());

const AUTH = { Authorization: `Bearer ${ADMIN_KEY}` };
const setFaults = (c: Collector, spec: unknown, headers: Record<string, string> = AUTH) =>
  c.app.request('/v1/admin/faults', { method: 'POST', body: JSON.stringify(spec), headers });
const clearFaults = (c: Collector, headers: Record<string, string> = AUTH) => c.app.request('/v1/admin/faults', { method: 'DELETE', headers });

const stored = async (c: Collector) => ((await (await read(c, '/v1/events', ADMIN_KEY)).json()) as { events: unknown[] }).events.length;

describe('fault injection', () => {
  it('is off unless enabled', async () => {
    collector = testCollector();
    expect((await setFaults(collector, { status: 503 })).status).toBe(404);
    expect((await clearFaults(collector)).status).toBe(404);
    expect((await post(collector, batch([event()]))).status).toBe(200);
  });

  it('answers 503 with Retry-After for N requests, storing nothing, then recovers', async () => {
    collector = testCollector({ faults: true });
    expect((await setFaults(collector, { status: 503, retryAfter: 2, count: 2 })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const response = await post(collector, batch([event()]));
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('2');
      expect(await response.json()).toEqual({ error: 'fault injected', retryAfter: 2 });
    }
    expect(await stored(collector)).toBe(0);
    expect((await post(collector, batch([event()]))).status).toBe(200);
  });

  it('answers 429 and 500 as asked, until cleared', async () => {
    collector = testCollector({ faults: true });
    await setFaults(collector, { status: 429, retryAfter: 1 });
    expect((await post(collector, batch([event()]))).status).toBe(429);
    expect((await post(collector, batch([event()]))).status).toBe(429);
    await setFaults(collector, { status: 500 });
    const response = await post(collector, batch([event()]));
    expect(response.status).toBe(500);
    expect(response.headers.get('Retry-After')).toBeNull();
    expect((await clearFaults(collector)).status).toBe(200);
    expect((await post(collector, batch([event()]))).status).toBe(200);
  });

  it('fails only the batches that contain a marker, until cleared (failIfContains)', async () => {
    collector = testCollector({ faults: true });
    expect((await setFaults(collector, { failIfContains: 'poison-marker' })).status).toBe(200);
    const poisoned = await post(collector, batch([event(), event('custom-event', { name: 'poison-marker' })]));
    expect(poisoned.status).toBe(500);
    expect((await post(collector, batch([event()]))).status).toBe(200);
    expect((await post(collector, batch([event('custom-event', { name: 'poison-marker' })]))).status).toBe(500);
    expect(await stored(collector)).toBe(1);
    expect((await collector.app.request('/v1/admin/faults', { method: 'DELETE', headers: AUTH })).status).toBe(200);
    expect((await post(collector, batch([event('custom-event', { name: 'poison-marker' })]))).status).toBe(200);
    expect((await setFaults(collector, { failIfContains: '' })).status).toBe(400);
    expect((await setFaults(collector, { failIfContains: 'x', storeThenFail: true })).status).toBe(400);
  });

  it('ends a window after forMs', async () => {
    let now = 1_000_000;
    collector = testCollector({ faults: true, now: () => now });
    await setFaults(collector, { status: 503, forMs: 5000 });
    expect((await post(collector, batch([event()]))).status).toBe(503);
    now += 4999;
    expect((await post(collector, batch([event()]))).status).toBe(503);
    now += 1;
    expect((await post(collector, batch([event()]))).status).toBe(200);
  });

  it('delays answers', async () => {
    collector = testCollector({ faults: true });
    await setFaults(collector, { delayMs: 150, count: 1 });
    const started = Date.now();
    expect((await post(collector, batch([event()]))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('storeThenFail stores the batch then answers 503; the retry is all duplicates', async () => {
    collector = testCollector({ faults: true });
    await setFaults(collector, { storeThenFail: true, count: 1 });
    const body = batch([event(), event()]);
    expect((await post(collector, body)).status).toBe(503);
    expect(await stored(collector)).toBe(2);
    const retry = await post(collector, body);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ accepted: 0, duplicates: 2, usage: { used: 2 } });
  });

  it('refuses a malformed fault', async () => {
    collector = testCollector({ faults: true });
    expect((await setFaults(collector, { status: 404 })).status).toBe(400);
    expect((await setFaults(collector, { delayMs: -1 })).status).toBe(400);
    expect((await setFaults(collector, { sometimes: true })).status).toBe(400);
    expect((await collector.app.request('/v1/admin/faults', { method: 'POST', body: '{', headers: AUTH })).status).toBe(400);
  });

  it("wants an admin key (any entity's) and answers no CORS", async () => {
    collector = testCollector({ faults: true });
    const anonymous = await setFaults(collector, { status: 503 }, { Origin: 'http://shop.test' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect((await setFaults(collector, { status: 503 }, { Authorization: `Bearer ${WRITE_KEY}` })).status).toBe(401);
    expect((await clearFaults(collector, {})).status).toBe(401);
    expect((await post(collector, batch([event()]))).status).toBe(200);
    expect((await setFaults(collector, { status: 503, count: 1 }, { Authorization: `Bearer ${OTHER_ADMIN_KEY}` })).status).toBe(200);
    expect((await post(collector, batch([event()]))).status).toBe(503);
  });

  it('bounds its values, with a 400 naming the field', async () => {
    collector = testCollector({ faults: true });
    for (const [spec, field] of [
      [{ delayMs: 1e9 }, 'delayMs'],
      [{ delayMs: 60_001 }, 'delayMs'],
      [{ retryAfter: 1e12 }, 'retryAfter'],
      [{ retryAfter: 3_601 }, 'retryAfter'],
      [{ forMs: 86_400_001 }, 'forMs'],
      [{ count: 1.5 }, 'count'],
      [{ count: 2_000_000 }, 'count'],
    ] as const) {
      const response = await setFaults(collector, spec);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(field);
    }
    expect((await setFaults(collector, { delayMs: 60_000, retryAfter: 3_600, forMs: 86_400_000, count: 1_000_000 })).status).toBe(200);
  });
});

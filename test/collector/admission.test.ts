// Admission before the body is read (issue 18, "one client starves every store"): the write key
// in the query string, refusals that never read the body, the per-key budgets of events and
// bytes, the in-flight gate, and the deadline of a trickling body.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { ADMIN_KEY, batch, event, ORIGIN, OTHER_KEY, post, read, testCollector, testConfig, WRITE_KEY } from './support/app';

let collector: Collector;
const open: Array<() => void> = [];
afterEach(async () => {
  for (const end of open.splice(0)) end();
  await collector?.close();
});

/** A body that sends one chunk, then nothing until the test ends: reading it never finishes. */
const hanging = () => {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(new TextEncoder().encode('{"writeKey":"'));
    },
  });
  open.push(() => {
    try {
      controller.close();
    } catch {
      // already cancelled
    }
  });
  return stream;
};

const postStream = (c: Collector, query: string, headers: Record<string, string> = {}) =>
  c.app.request(`/v1/batch${query}`, {
    method: 'POST',
    body: hanging(),
    headers: { 'Content-Type': 'text/plain', Origin: ORIGIN, ...headers },
    duplex: 'half',
  } as RequestInit);

/** Resolves with the response, or fails if it does not come within `ms`: an answer that waited for the body. */
const within = <T>(promise: T | Promise<T>, ms = 5000) =>
  Promise.race([
    Promise.resolve(promise),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms: the body was awaited`)), ms)),
  ]);

/** Databases created and migrated first: `within` times the admission, not a first connection. */
const ready = async (c: Collector) => {
  await Promise.all(c.storages.map((storage) => storage.ping()));
  return c;
};

const stored = async () => ((await (await read(collector, '/v1/events', ADMIN_KEY)).json()) as { events: unknown[] }).events.length;

describe('admission of POST /v1/batch', () => {
  it('takes the write key from the query string; the body may leave it out', async () => {
    collector = testCollector();
    const { writeKey: _, ...keyless } = batch([event()]);
    const response = await post(collector, keyless, { query: `?writeKey=${WRITE_KEY}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 1 });
    // Both given and equal: fine; different: 400, nothing stored.
    expect((await post(collector, batch([event()]), { query: `?writeKey=${WRITE_KEY}` })).status).toBe(200);
    const clash = await post(collector, batch([event()], WRITE_KEY), { query: `?writeKey=${OTHER_KEY}` });
    expect(clash.status).toBe(400);
    expect(await clash.json()).toEqual({ error: 'the writeKey of the query string and of the body differ' });
    expect(await stored()).toBe(2);
  });

  it('refuses an unknown query key, or an origin the key does not allow, without reading the body', async () => {
    collector = await ready(testCollector());
    const unknown = await within(postStream(collector, '?writeKey=pk_nobody'));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: 'unknown write key' });
    const foreign = await within(postStream(collector, `?writeKey=${WRITE_KEY}`, { Origin: 'https://evil.test' }));
    expect(foreign.status).toBe(403);
  });

  it("limits a key's bytes, charged from Content-Length before reading: 429 with Retry-After, unread", async () => {
    const config = testConfig();
    config.rateLimit = { ...config.rateLimit, bytesPerSecond: 1000, bytesBurst: 65_536 };
    collector = await ready(testCollector({ config }));
    // The key's buckets exist first (on PostgreSQL two transactions creating one bucket at once both pass).
    expect((await post(collector, batch([event()]), { query: `?writeKey=${WRITE_KEY}` })).status).toBe(200);
    const big = { 'Content-Length': '60000' };
    // The first 60,000 bytes fit what is left of the burst (the body then never comes: a 408 would follow).
    const first = postStream(collector, `?writeKey=${WRITE_KEY}`, big);
    const second = await within(postStream(collector, `?writeKey=${WRITE_KEY}`, big));
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('Retry-After'))).toBeGreaterThanOrEqual(50);
    // Another key has budgets of its own.
    expect((await post(collector, batch([event(undefined, undefined, { entity: 'other' })], OTHER_KEY), { query: `?writeKey=${OTHER_KEY}` })).status).toBe(200);
    for (const end of open.splice(0)) end();
    await first;
  });

  it("limits a key's events, with or without the query key: 429 and nothing stored", async () => {
    const config = testConfig();
    config.rateLimit = { ...config.rateLimit, eventsPerSecond: 1, eventsBurst: 500 };
    collector = testCollector({ config });
    const many = () => batch(Array.from({ length: 300 }, () => event()));
    expect((await post(collector, many(), { query: `?writeKey=${WRITE_KEY}` })).status).toBe(200);
    const over = await post(collector, many());
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('Retry-After'))).toBeGreaterThanOrEqual(100);
    expect(await over.json()).toMatchObject({ error: 'too many requests, events or bytes for this key' });
    expect(await stored()).toBe(300);
  });

  it('bounds the batches in flight: beyond, 503 with Retry-After without reading; unkeyed ones get only their share', async () => {
    collector = await ready(testCollector({ limits: { maxInFlight: 2, maxUnkeyedInFlight: 1 } }));
    const held = [postStream(collector, '')]; // an old client, its body still coming
    const unkeyed = await within(postStream(collector, ''));
    expect(unkeyed.status).toBe(503);
    expect(unkeyed.headers.get('Retry-After')).toBe('1');
    // A keyed batch still has a slot…
    expect((await post(collector, batch([event()]), { query: `?writeKey=${WRITE_KEY}` })).status).toBe(200);
    held.push(postStream(collector, `?writeKey=${WRITE_KEY}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // …until both are taken.
    expect((await within(postStream(collector, `?writeKey=${WRITE_KEY}`))).status).toBe(503);
    for (const end of open.splice(0)) end();
    await Promise.all(held);
    // Slots come back when requests end.
    expect((await post(collector, batch([event()]))).status).toBe(200);
  });

  it('answers 408 to a body that does not arrive in time, and frees its slot', async () => {
    collector = await ready(testCollector({ limits: { maxInFlight: 1, bodyReadMs: 200 } }));
    const late = await within(postStream(collector, `?writeKey=${WRITE_KEY}`));
    expect(late.status).toBe(408);
    expect((await post(collector, batch([event()]), { query: `?writeKey=${WRITE_KEY}` })).status).toBe(200);
  });
});

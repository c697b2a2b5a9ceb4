// POST /v1/batch: every answer of the protocol, through the app's own request handler.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { ADMIN_KEY, batch, event, OTHER_KEY, post, read, testCollector, vitals, WRITE_KEY } from './support/app';

let collector: Collector;
afterEach(() => collector?.close());

const storedIds = async (c: Collector, key = ADMIN_KEY) =>
  ((await (await read(c, '/v1/events', key)).json()) as { events: { id: string }[] }).events.map((e) => e.id);

describe('POST /v1/batch', () => {
  it('stores valid events and answers accepted, duplicates, rejected and usage', async () => {
    collector = testCollector();
    const events = [event(), event('search', { query: 'linen' })];
    const response = await post(collector, batch(events));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: [], usage: { used: 2, allowance: 100 } });
    expect(await storedIds(collector)).toEqual(events.map((e) => e.id));
  });

  it('takes text/plain beacon bodies gzip-compressed with ?encoding=gzip', async () => {
    collector = testCollector();
    const response = await post(collector, batch([event()]), { gzip: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 1 });
  });

  it('takes application/json with Content-Encoding: gzip', async () => {
    collector = testCollector();
    const response = await collector.app.request('/v1/batch', {
      method: 'POST',
      body: gzipSync(JSON.stringify(batch([event()]))),
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 1 });
  });

  it('stores a retried batch once and counts its events as duplicates', async () => {
    collector = testCollector();
    const body = batch([event(), event()]);
    await post(collector, body);
    const again = await (await post(collector, body)).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, usage: { used: 2 } });
    expect(await storedIds(collector)).toHaveLength(2);
  });

  it('lists invalid events with the reason and stores the valid ones beside them', async () => {
    collector = testCollector();
    const good = event();
    const badBody = event('search', { query: 42 });
    const platform = event('email-sent', {});
    const response = await post(collector, batch([good, badBody, platform, 'not an event', event('no-such-type', {})]));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accepted: number; rejected: { id: string; error: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.id)).toEqual([badBody.id, platform.id, 'events[3]', expect.any(String)]);
    expect(body.rejected[0]!.error).toMatch(/^invalid-body: search: body\.query/);
    expect(body.rejected[1]!.error).toMatch(/^platform-only/);
    expect(body.rejected[2]!.error).toMatch(/^invalid-envelope/);
    expect(body.rejected[3]!.error).toMatch(/^unknown-type/);
    expect(await storedIds(collector)).toEqual([good.id]);
  });

  it("rejects events whose entity is not the write key's", async () => {
    collector = testCollector();
    const theirs = event('web-page-visited', undefined, { entity: 'other' });
    const body = (await (await post(collector, batch([theirs, event()]))).json()) as { accepted: number; rejected: { id: string; error: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ id: theirs.id, error: expect.stringMatching(/^wrong-entity/) }]);
    expect(await storedIds(collector, 'sk_test_other')).toEqual([]);
  });

  it('rejects one event over 32 KiB and keeps the rest', async () => {
    collector = testCollector();
    const big = event('custom-event', { name: 'big', properties: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'x'.repeat(190)])) });
    const body = (await (await post(collector, batch([big, event()]))).json()) as { accepted: number; rejected: { id: string; error: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected[0]).toMatchObject({ id: big.id, error: expect.stringMatching(/^too-large/) });
  });

  it('answers 400 to a body nested deeper than 1,024 levels, before parsing it', async () => {
    collector = testCollector();
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const body = JSON.stringify(batch([event(), 'DEEP'])).replaceAll('"DEEP"', deep);
    const response = await post(collector, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'body nests deeper than 1024 levels' });
    // Brackets inside strings are text, not nesting.
    const quoted = event('custom-event', { name: 'brackets', properties: { text: `${'[{'.repeat(1000)}\\"` } });
    expect(await (await post(collector, batch([quoted]))).json()).toMatchObject({ accepted: 1 });
  });

  it('rejects alone an event nested deeper than the engines store (1,000 levels), and strings they cannot keep', async () => {
    collector = testCollector();
    let nested: unknown = 'leaf';
    for (let i = 0; i < 1000; i++) nested = { n: nested };
    const deep = event('custom-event', { name: 'deep', properties: { nested } });
    const nul = event('search', { query: 'tea\u0000' });
    const lone = event('search', { query: 'tea\ud800' });
    const good = [event(), event('search', { query: 'linen' })];
    const reply = (await (await post(collector, batch([good[0], deep, nul, lone, good[1]]))).json()) as {
      accepted: number;
      rejected: { id: string; error: string }[];
    };
    expect(reply.accepted).toBe(2);
    expect(reply.rejected).toEqual([
      { id: deep.id, error: 'too-deep: event nested over 32 levels' },
      { id: nul.id, error: expect.stringMatching(/^invalid-envelope: .*NUL/) },
      { id: lone.id, error: expect.stringMatching(/^invalid-envelope: .*surrogate/) },
    ]);
    expect(await storedIds(collector)).toEqual(good.map((e) => e.id));
  });

  it('keys events by entity and id: another entity reusing an id is stored, not a duplicate', async () => {
    collector = testCollector();
    const mine = event();
    const theirs = { ...mine, entity: 'other' };
    expect(await (await post(collector, batch([mine]))).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await (await post(collector, batch([theirs], OTHER_KEY))).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await storedIds(collector)).toEqual([mine.id]);
    expect(await storedIds(collector, 'sk_test_other')).toEqual([mine.id]);
  });

  it.each([
    ['broken JSON', '{"writeKey": "pk_test_shop", "events": ['],
    ['a JSON array', '[]'],
    ['null', 'null'],
    ['no events', JSON.stringify({ writeKey: WRITE_KEY, sentAt: new Date().toISOString(), batchId: 'b', events: [] })],
    ['no write key', JSON.stringify({ sentAt: new Date().toISOString(), batchId: 'b', events: [{}] })],
    ['a bad sentAt', JSON.stringify({ writeKey: WRITE_KEY, sentAt: 'yesterday', batchId: 'b', events: [{}] })],
  ])('answers 400 to %s', async (_, body) => {
    collector = testCollector();
    const response = await post(collector, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
  });

  it('answers 400 to a body flagged gzip that is not', async () => {
    collector = testCollector();
    const response = await post(collector, JSON.stringify(batch([event()])), { query: '?encoding=gzip' });
    expect(response.status).toBe(400);
  });

  it('answers 415 to an encoding it does not speak', async () => {
    collector = testCollector();
    const response = await post(collector, batch([event()]), { headers: { 'Content-Encoding': 'br' } });
    expect(response.status).toBe(415);
  });

  it('answers 401 to an unknown write key and stores nothing', async () => {
    collector = testCollector();
    const response = await post(collector, batch([event()], 'pk_nobody'));
    expect(response.status).toBe(401);
    expect(await storedIds(collector)).toEqual([]);
  });

  it('answers 403 to an origin the key does not allow, and takes requests without Origin (servers)', async () => {
    collector = testCollector();
    expect((await post(collector, batch([event()]), { origin: 'https://evil.test' })).status).toBe(403);
    expect((await post(collector, batch([event()]), { origin: null })).status).toBe(200);
    // "*" lets any origin send for that entity.
    const theirs = event('web-page-visited', undefined, { entity: 'other' });
    expect((await post(collector, batch([theirs], OTHER_KEY), { origin: 'https://anywhere.test' })).status).toBe(200);
  });

  it('answers 413 to more than 500 events, so the tracker splits the batch', async () => {
    collector = testCollector();
    const many = Array.from({ length: 501 }, () => vitals());
    const response = await post(collector, batch(many), { gzip: true });
    expect(response.status).toBe(413);
  });

  it('answers 413 to a body over the wire limit', async () => {
    collector = testCollector({ limits: { maxBodyBytes: 10_000 } });
    const response = await post(collector, JSON.stringify(batch([event()])) + ' '.repeat(10_000));
    expect(response.status).toBe(413);
  });

  it('answers 413 to a body over the limit once inflated', async () => {
    collector = testCollector({ limits: { maxDecodedBytes: 10_000 } });
    const response = await post(collector, JSON.stringify(batch([event()])) + ' '.repeat(10_000), { gzip: true });
    expect(response.status).toBe(413);
  });
});

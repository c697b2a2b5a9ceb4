import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueueItem } from '../../src/queue';
import { bodyOf } from '../../src/post';
import { batchHead, batchOverhead, send } from '../../src/transport';
import { fakeCollector } from './support/collector';
import { makeEvent } from './support/events';

const item = (body: Record<string, unknown> = { name: 'x' }): QueueItem => {
  const event = makeEvent('custom-event', body);
  const json = JSON.stringify(event);
  return { k: event.id, id: event.id, type: event.type, r: 1, json, bytes: json.length };
};
const options = { endpoint: 'https://collect.example', writeKey: 'pk_test', gzip: true };
/** The body send() posts: the head, then the stored JSON joined. */
const batchBody = (writeKey: string, batchId: string, items: QueueItem[]) =>
  bodyOf({ url: '', head: batchHead(writeKey, batchId), events: items.map((i) => i.json), gzip: false, keepalive: false });

afterEach(() => vi.unstubAllGlobals());

describe('batchBody', () => {
  it('joins stored JSON into the protocol body, and its overhead is exact', () => {
    const items = [item(), item()];
    const body = batchBody('pk_"quoted"', 'batch-1', items);
    const parsed = JSON.parse(body);
    expect(parsed.writeKey).toBe('pk_"quoted"');
    expect(parsed.batchId).toBe('batch-1');
    expect(Date.parse(parsed.sentAt)).not.toBeNaN();
    expect(parsed.events.map((e: { id: string }) => e.id)).toEqual(items.map((i) => i.id));
    const uuidBatch = batchBody('pk_"quoted"', crypto.randomUUID(), items);
    const eventBytes = items.reduce((sum, i) => sum + i.bytes + 1, 0);
    expect(batchOverhead('pk_"quoted"') + eventBytes).toBe(uuidBatch.length + 1);
  });
});

describe('send', () => {
  it('posts a CORS-simple request: text/plain, no credentials, no custom headers', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    const result = await send([item()], 'fetch', options);
    const [url, init] = collector.fetch.mock.calls[0]!;
    expect(url).toBe('https://collect.example/v1/batch?writeKey=pk_test');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'text/plain' });
    expect(init.credentials).toBe('omit');
    expect(init.keepalive).toBe(false);
    expect(result.verdict).toBe('ack');
    expect(result.report).toMatchObject({ status: 200, outcome: 'acked', encoding: 'identity', transport: 'fetch' });
    expect(result.response).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('gzips a batch worth compressing and says so in the query string', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    const items = Array.from({ length: 20 }, () => item({ name: 'x', properties: { note: 'the same words again' } }));
    const result = await send(items, 'fetch', options);
    const [url, init] = collector.fetch.mock.calls[0]!;
    expect(url).toBe('https://collect.example/v1/batch?writeKey=pk_test&encoding=gzip');
    const json = gunzipSync(Buffer.from(init.body as ArrayBuffer)).toString();
    expect(JSON.parse(json).events).toHaveLength(20);
    expect(result.report.encoding).toBe('gzip');
    expect(result.report.wireBytes).toBeLessThan(result.report.bytes / 3);
  });

  it('does not gzip small batches, nor when turned off', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    await send([item()], 'fetch', options);
    const many = Array.from({ length: 20 }, () => item());
    await send(many, 'fetch', { ...options, gzip: false });
    expect(collector.fetch.mock.calls.map(([url]) => url)).toEqual([
      'https://collect.example/v1/batch?writeKey=pk_test',
      'https://collect.example/v1/batch?writeKey=pk_test',
    ]);
  });

  it('uses keepalive uncompressed on page hide', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    const many = Array.from({ length: 20 }, () => item());
    await send(many, 'keepalive', options);
    const [url, init] = collector.fetch.mock.calls[0]!;
    expect(url).toBe('https://collect.example/v1/batch?writeKey=pk_test');
    expect(init.keepalive).toBe(true);
    expect(typeof init.body).toBe('string');
  });

  it('puts the write key in the query string too, encoded, and keeps it in the body (issue 18)', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    await send([item()], 'fetch', { ...options, writeKey: 'pk a&b=c' });
    const [url, init] = collector.fetch.mock.calls[0]!;
    expect(new URL(url as string).searchParams.get('writeKey')).toBe('pk a&b=c');
    expect(JSON.parse(init.body as string).writeKey).toBe('pk a&b=c');
  });

  it('hands a beacon a text/plain blob', async () => {
    const sendBeacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { ...navigator, sendBeacon });
    const result = await send([item()], 'beacon', options);
    const [url, blob] = sendBeacon.mock.calls[0]! as unknown as [string, Blob];
    expect(url).toBe('https://collect.example/v1/batch?writeKey=pk_test');
    expect(blob.type).toBe('text/plain');
    expect(JSON.parse(await blob.text()).events).toHaveLength(1);
    expect(result.report.outcome).toBe('handed-off');
  });

  it('reads Retry-After from the header, else from the body', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    collector.answer(() => ({ status: 429, headers: { 'Retry-After': '12' }, body: { error: 'slow down' } }));
    const fromHeader = await send([item()], 'fetch', options);
    expect(fromHeader).toMatchObject({ verdict: 'retry', retryAfterMs: 12_000 });
    expect(fromHeader.report).toMatchObject({ status: 429, outcome: 'retry', reason: 'slow down' });
    collector.answer(() => ({ status: 503, body: { error: 'maintenance', retryAfter: 3 } }));
    expect(await send([item()], 'fetch', options)).toMatchObject({ verdict: 'retry', retryAfterMs: 3000 });
  });

  it('turns a network error into a retry with status 0', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    collector.answer(() => 'network-error');
    const result = await send([item()], 'fetch', options);
    expect(result.verdict).toBe('retry');
    expect(result.report).toMatchObject({ status: 0, reason: 'Failed to fetch' });
  });

  it('reports the collector’s reason for a refused write key (kept, not dropped)', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    collector.answer(() => ({ status: 401, body: { error: 'unknown write key' } }));
    const result = await send([item()], 'fetch', options);
    expect(result.verdict).toBe('refused');
    expect(result.report).toMatchObject({ status: 401, outcome: 'refused', reason: 'unknown write key' });
  });
});

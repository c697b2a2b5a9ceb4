// Size limits: a gzip bomb is refused while inflating, and the collector keeps serving.
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { decodeBody, DEFAULT_LIMITS } from '../../src/collector/limits';
import { batch, event, post, testCollector } from './support/app';

/** `megabytes` MiB of zeros, gzip-compressed as a stream so the test never holds them inflated. */
const gzipBomb = async (megabytes: number): Promise<Buffer> => {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < megabytes; i++) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await ended;
  return Buffer.concat(chunks);
};

let collector: Collector;
let bomb: Buffer;
beforeAll(async () => {
  collector = testCollector();
  bomb = await gzipBomb(256); // 256 MiB of zeros in ~250 KiB
});
afterAll(() => collector.close());

describe('limits', () => {
  it('refuses a gzip bomb with 413 without inflating it, and keeps serving', async () => {
    const before = process.memoryUsage().rss;
    const response = await collector.app.request('/v1/batch?encoding=gzip', {
      method: 'POST',
      body: new Uint8Array(bomb),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/inflates to over/) });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
    expect((await post(collector, batch([event()]), { gzip: true })).status).toBe(200);
  });

  it('stops inflating at the cap', async () => {
    const decoded = await decodeBody(bomb, true, DEFAULT_LIMITS);
    expect(decoded).toEqual({ ok: false, status: 413, error: `body inflates to over ${DEFAULT_LIMITS.maxDecodedBytes} bytes` });
  });

  it('keeps the tracker-sized batch well inside every limit', () => {
    expect(DEFAULT_LIMITS.maxBodyBytes).toBeGreaterThanOrEqual(64 * 1024);
    expect(DEFAULT_LIMITS.maxDecodedBytes).toBeGreaterThanOrEqual(64 * 1024);
    expect(DEFAULT_LIMITS.maxEvents).toBe(500);
  });
});

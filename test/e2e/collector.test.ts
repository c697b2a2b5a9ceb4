// The demo end to end: the sandbox page's script tag starts the tracker cross-origin and its
// calls land in SQLite; hostile requests get the right answer while the valid events are
// stored and the server lives.
import { randomUUID } from 'node:crypto';
import { createGzip, gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { type Demo, startTestDemo, storedEvents } from './support/demo';
import { waitFor } from './support/poll';

let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  demo = await startTestDemo();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const envelope = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type: 'web-page-visited',
  v: 1,
  entity: demo.entity,
  anonymousId: 'node-client',
  sessionId: 'node-session',
  createdAt: new Date().toISOString(),
  context: { page: { url: 'https://shop.test/', path: '/', title: 'Shop', referrer: '' }, library: { name: 'shoptrail', version: 'e2e' } },
  body: { url: 'https://shop.test/', referrer: '' },
  ...over,
});

const batchOf = (events: unknown[], writeKey = demo.writeKey) => JSON.stringify({ writeKey, sentAt: new Date().toISOString(), batchId: randomUUID(), events });

const send = (body: BodyInit, { origin = demo.storeUrl, query = '', headers = {} as Record<string, string> } = {}) =>
  fetch(`${demo.collectorUrl}/v1/batch${query}`, { method: 'POST', body, headers: { 'Content-Type': 'text/plain', Origin: origin, ...headers } });

/** 1 GiB of zeros as ~1 MB of gzip, compressed as a stream. */
const gzipBomb = async (): Promise<Uint8Array<ArrayBuffer>> => {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < 1024; i++) if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
};

describe('demo collector end to end', () => {
  it("starts from the sandbox page's script tag and stores what the page tracks", async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.storeUrl}/sandbox.html`);
    await page.waitForFunction(() => (window as unknown as { shoptrail?: { loaded?: boolean } }).shoptrail?.loaded === true);
    await page.evaluate(async () => {
      const shoptrail = (window as unknown as { shoptrail: Record<string, (...args: unknown[]) => unknown> }).shoptrail;
      shoptrail.track!('custom-event', { name: 'e2e-hello', properties: { n: 1 } });
      shoptrail.track!('search', { query: 'linen shirt' });
      await shoptrail.flush!();
    });
    const stored = await waitFor(
      () => {
        const events = storedEvents(demo);
        return events.some((e) => e.type === 'search') && events.some((e) => e.type === 'custom-event') ? events : undefined;
      },
      { message: 'the sandbox page’s events in SQLite' },
    );
    const custom = stored.find((e) => e.type === 'custom-event')!;
    expect(custom).toMatchObject({ entity: demo.entity, body: { name: 'e2e-hello', properties: { n: 1 } } });
    expect(custom.context.page.url).toBe(`${demo.storeUrl}/sandbox.html`);
    expect(storedEvents(demo, { type: 'search' })[0]!.body).toMatchObject({ query: 'linen shirt' });
    await page.close();
  });

  it('answers hostile input with the right status, stores the valid events and lives', async () => {
    const valid = envelope();
    const answers = {
      brokenJson: (await send('{"writeKey":"pk_demo_shoptrail","events":[')).status,
      wrongKey: (await send(batchOf([envelope()], 'pk_nobody'))).status,
      wrongOrigin: (await send(batchOf([envelope()]), { origin: 'https://evil.example' })).status,
      oversized: (await send('x'.repeat(2 << 20))).status,
      gzipBomb: (await send(await gzipBomb(), { query: '?encoding=gzip' })).status,
      notGzip: (await send('not gzip at all', { query: '?encoding=gzip' })).status,
    };
    expect(answers).toEqual({ brokenJson: 400, wrongKey: 401, wrongOrigin: 403, oversized: 413, gzipBomb: 413, notGzip: 400 });

    const wrongEntity = envelope({ entity: 'someone-else' });
    const invalid = envelope({ type: 'search', body: { query: 42 } });
    const mixed = await send(gzipSync(batchOf([valid, wrongEntity, invalid, { junk: true }])), { query: '?encoding=gzip' });
    expect(mixed.status).toBe(200);
    const reply = (await mixed.json()) as { accepted: number; rejected: { id: string; error: string }[]; usage: { used: number } };
    expect(reply.accepted).toBe(1);
    expect(reply.rejected.map((r) => r.id)).toEqual([wrongEntity.id, invalid.id, 'events[3]']);
    expect(reply.rejected[0]!.error).toMatch(/^wrong-entity/);

    // The server still answers, and only the valid event of all that was stored.
    const after = envelope();
    expect((await send(batchOf([after]))).status).toBe(200);
    expect(storedEvents(demo, { anonymousId: 'node-client' }).map((e) => e.id)).toEqual([valid.id, after.id]);
    const usage = await fetch(`${demo.collectorUrl}/v1/usage`, { headers: { Authorization: `Bearer ${demo.adminKey}` } });
    expect(usage.status).toBe(200);
  });
});

// The demo end to end: the sandbox page's script tag starts the tracker cross-origin and its
// calls land in SQLite; hostile requests get the right answer while the valid events are
// stored and the server lives.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { type Demo, startTestDemo, storedEvents } from './support/demo';
import { waitFor } from './support/poll';

let demo: Demo;
let browser: Browser;

let extraRoot: string;

beforeAll(async () => {
  extraRoot = mkdtempSync(join(tmpdir(), 'shoptrail-pages-'));
  writeFileSync(join(extraRoot, 'probe.html'), '<p data-endpoint="{{collectorUrl}}" data-key="{{writeKey}}" data-entity="{{entity}}">probe</p>');
  demo = await startTestDemo({ extraRoot });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
  rmSync(extraRoot, { recursive: true, force: true });
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

const rawStatus = (path: string) =>
  new Promise<number>((resolve, reject) => {
    const url = new URL(demo.storeUrl);
    request({ host: url.hostname, port: url.port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });

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
  it('serves the built tracker and extra test pages with their placeholders filled', async () => {
    const script = await fetch(`${demo.storeUrl}/shoptrail.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('Content-Type')).toMatch(/javascript/);
    expect((await fetch(`${demo.storeUrl}/shoptrail.js.map`)).status).toBe(200);
    expect((await fetch(`${demo.storeUrl}/shoptrail-capture.js`)).status).toBe(200); // a chunk loaded next to it
    expect((await fetch(`${demo.storeUrl}/shoptrail.mjs`)).status).toBe(404); // the npm build is not for pages
    expect((await fetch(`${demo.storeUrl}/meta.json`)).status).toBe(404);
    const probe = await (await fetch(`${demo.storeUrl}/test/probe.html`)).text();
    expect(probe).toBe(`<p data-endpoint="${demo.collectorUrl}" data-key="${demo.writeKey}" data-entity="${demo.entity}">probe</p>`);
    // fetch normalises dot segments; node:http sends the path as written.
    for (const path of ['/test/../../../package.json', '/test/%2e%2e/%2e%2e/%2e%2e/package.json', '/test/..%2f..%2f..%2fpackage.json']) {
      expect(await rawStatus(path), path).toBe(404);
    }
  });

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

  it('stores a sendBeacon batch (text/plain, gzip flagged in the query) sent by the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.storeUrl}/sandbox.html`);
    const event = envelope({ anonymousId: 'beacon-client' });
    const queued = await page.evaluate(
      async ({ url, body }) => {
        const zipped = await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
        return navigator.sendBeacon(`${url}/v1/batch?encoding=gzip`, new Blob([zipped], { type: 'text/plain' }));
      },
      { url: demo.collectorUrl, body: batchOf([event]) },
    );
    expect(queued).toBe(true);
    await waitFor(() => storedEvents(demo, { anonymousId: 'beacon-client' }).length === 1, { message: 'the beacon batch in SQLite' });
    expect(storedEvents(demo, { anonymousId: 'beacon-client' })[0]!.id).toBe(event.id);
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

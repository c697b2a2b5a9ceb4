// The tracker in real Chromium against two collector replicas on PostgreSQL behind a
// round-robin balancer, with no stickiness: the delivery promise holds across replicas, through
// a database crash and a replica that dies mid-flight.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefront } from '../../demo/storefront/app';
import { parseConfig } from '../../src/collector/config';
import { type RunningCollector, startCollector } from '../../src/collector/server';
import { type Envelope, validateEnvelope } from '../../src/schema';
import { type Balancer, startBalancer } from '../support/balancer';
import { type Cluster, startPostgres } from '../support/postgres';
import { drained, openPage, PAGES, ready, trackMany, watchBatches } from './support/chaos';
import { launchChromium } from './support/chromium';
import { waitFor } from './support/poll';

const WRITE_KEY = 'pk_replicas';
const ADMIN_KEY = 'sk_replicas';

let cluster: Cluster;
let replicas: RunningCollector[];
let ports: number[];
let balancer: Balancer;
let shop: Server;
let shopUrl: string;
let browser: Browser;

const config = () =>
  parseConfig({
    entities: [{ entity: 'demo', writeKeys: [WRITE_KEY], allowedOrigins: ['*'], adminKey: ADMIN_KEY, allowance: 1_000_000 }],
    rateLimit: { perSecond: 10_000, burst: 10_000 },
    store: cluster.url,
  });

const replica = (port = 0) => startCollector({ config: config(), port, log: false, drainMs: 0 });

beforeAll(async () => {
  [cluster, browser] = await Promise.all([startPostgres(), launchChromium()]);
  replicas = [await replica(), await replica()];
  ports = replicas.map((r) => Number(new URL(r.url).port));
  balancer = await startBalancer(replicas.map((r) => r.url));
  // allowAutomation: this Chromium is automated (navigator.webdriver), where the tracker otherwise sends nothing
  const app = createStorefront({ collectorUrl: balancer.url, writeKey: WRITE_KEY, entity: 'demo', extraRoot: PAGES, allowAutomation: true });
  shop = await new Promise<Server>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server as Server)) as Server;
  });
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  shop?.closeAllConnections();
  shop?.close();
  await balancer?.close();
  await Promise.all((replicas ?? []).map((r) => r.close()));
  await cluster?.destroy();
});

/** Every stored "chaos" event of a run, read through the balancer with the commit-safe cursor. */
const storedRun = async (run: string): Promise<Envelope[]> => {
  const events: Envelope[] = [];
  let after = '';
  for (;;) {
    const response = await fetch(`${balancer.url}/v1/events?type=custom-event&limit=1000${after && `&after=${after}`}`, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    const page = ((await response.json()) as { events: Envelope[] }).events;
    if (!page.length) return events.filter((e) => (e.body as { properties?: { run?: string } }).properties?.run === run);
    events.push(...page);
    after = page[page.length - 1]!.id;
  }
};

const tally = async (run: string, tracked: number) => {
  const events = await storedRun(run);
  const seqs = new Set(events.map((e) => (e.body as { properties: { seq: number } }).properties.seq));
  let lost = 0;
  for (let seq = 0; seq < tracked; seq++) if (!seqs.has(seq)) lost++;
  return { tracked, stored: events.length, duplicates: events.length - seqs.size, lost };
};

const allStoredOnce = async (run: string, tracked: number) => {
  await waitFor(async () => (await tally(run, tracked)).lost === 0, { timeout: 30_000, message: `${run}: not all stored` });
  expect(await tally(run, tracked)).toEqual({ tracked, stored: tracked, duplicates: 0, lost: 0 });
};

const page = `/test/delivery.html`;

describe('the tracker against two replicas on PostgreSQL', () => {
  it('stores 1,000 track() calls once each, all valid, with batches spread over both replicas', async () => {
    const before = [...balancer.served.values()];
    const context = await browser.newContext();
    const tab = await openPage(context, shopUrl + page);
    await trackMany(tab, 'replicas-1000', 1000);
    await allStoredOnce('replicas-1000', 1000);
    await drained(tab);
    for (const event of await storedRun('replicas-1000')) expect(validateEnvelope(event).ok).toBe(true);
    const served = [...balancer.served.values()].map((n, i) => n - before[i]!);
    expect(served.every((n) => n > 0)).toBe(true);
    await context.close();
  });

  it('keeps what was tracked while the database was down, across a reload, and stores it once', async () => {
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const tab = await openPage(context, shopUrl + page);
    await cluster.stop('immediate');
    try {
      await trackMany(tab, 'replicas-db-down', 100);
      await waitFor(() => seen.some((batch) => batch.status === 503), { message: 'no request met the outage' });
      await tab.reload();
      await ready(tab);
    } finally {
      await cluster.start();
    }
    await allStoredOnce('replicas-db-down', 100);
    await drained(tab);
    await context.close();
  });

  it('loses nothing when a replica dies mid-flight and comes back', async () => {
    const context = await browser.newContext();
    const tab = await openPage(context, shopUrl + page);
    const tracking = trackMany(tab, 'replicas-crash', 300);
    await replicas[0]!.close(); // cut at once: drainMs 0
    await tracking;
    await trackMany(tab, 'replicas-crash', 100, 300);
    replicas[0] = await replica(ports[0]);
    await allStoredOnce('replicas-crash', 400);
    await drained(tab);
    await context.close();
  });
});

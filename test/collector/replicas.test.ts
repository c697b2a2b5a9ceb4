// Two collector replicas on one PostgreSQL database, both running the jobs at the same moments:
// every abandoned cart yields exactly one cart-abandoned, and its webhook one delivery, because
// work is claimed through rows (FOR UPDATE SKIP LOCKED), not owned by a process. Runs on
// PostgreSQL in both projects: the suite's cluster under collector-postgres, one of its own
// (test/support/postgres.ts) under collector.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Collector, createCollector } from '../../src/collector/app';
import { openStorage } from '../../src/collector/storage/index';
import type { Envelope } from '../../src/schema';
import { type Cluster, skipWithoutPostgres, startPostgres } from '../support/postgres';
import { batch, event, post, read } from './support/app';
import { ENGINE } from './support/engine';
import { HOOK_SECRET, platformConfig } from './support/platform';
import { type Receiver, startReceiver } from './support/receiver';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T10:00:00.000Z');
const VISITORS = 24;

let cluster: Cluster | undefined;
let url: string;
let receiver: Receiver;
const replicas: Collector[] = [];

const skip = ENGINE !== 'postgres' && skipWithoutPostgres();

beforeAll(async () => {
  if (skip) return;
  if (ENGINE === 'postgres') {
    const server = new URL(inject('postgresUrl'));
    const name = `replicas_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  } else {
    cluster = await startPostgres();
    url = await cluster.createDatabase('replicas');
  }
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await receiver?.close();
  await cluster?.destroy();
});

describe.skipIf(skip)('two replicas on one database', () => {
  it('yield exactly one cart-abandoned per cart, and one delivery each, with both running the jobs', async () => {
    const clock = { now: T0 };
    const config = platformConfig({
      cartAbandonedAfterHours: 1,
      webhooks: [{ id: 'carts', on: 'cart-abandoned', url: receiver.url, secret: HOOK_SECRET }],
    });
    for (const name of ['a', 'b']) {
      replicas.push(createCollector({ config, log: false, now: () => clock.now, openStorage: () => openStorage(url), jobs: { replica: name } }));
    }
    const [a, b] = replicas as [Collector, Collector];
    // Each visitor's additions land on both replicas, as a round-robin balancer would send them.
    for (let i = 0; i < VISITORS; i++) {
      const add = (ms: number) =>
        event('cart-product-added', { productId: `p-${i}`, quantity: 1, price: 10 }, { anonymousId: `anon-${i}`, createdAt: new Date(ms).toISOString() });
      await post(a, batch([add(T0)]));
      await post(b, batch([add(T0 + 60_000)]));
    }
    clock.now = T0 + 2 * HOUR;
    const runs = [];
    for (let round = 0; round < 4; round++) runs.push(...(await Promise.all([a.jobs.run(), b.jobs.run()])));

    expect(runs.reduce((sum, r) => sum + r.abandoned, 0)).toBe(VISITORS);
    const abandoned = ((await (await read(a, '/v1/events?type=cart-abandoned')).json()) as { events: Envelope[] }).events;
    expect(abandoned).toHaveLength(VISITORS);
    expect(new Set(abandoned.map((e) => e.anonymousId)).size).toBe(VISITORS);
    expect(abandoned.every((e) => (e.body as { items: unknown[] }).items.length === 1)).toBe(true);

    const deliveries = receiver.calls.map((c) => c.delivery);
    expect(deliveries).toHaveLength(VISITORS);
    expect(new Set(deliveries).size).toBe(VISITORS);
    // Billed once each: 2 additions, 1 abandonment, 1 dispatch per visitor.
    const usage = ((await (await read(b, '/v1/usage')).json()) as { usage: { used: number } }).usage;
    expect(usage.used).toBe(VISITORS * 4);
  }, 60_000);
});

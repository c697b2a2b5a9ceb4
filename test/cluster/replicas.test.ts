// The collector at scale (DESIGN "Collector at scale"): 3 replicas of the real bin over 2
// PostgreSQL clusters, one shard per entity, round-robin load with resent batches, a replica
// SIGKILLed mid-load and restarted, a shard crashed (`pg_ctl -m immediate`) for 2 s. Every
// acknowledged event must be stored exactly once, usage must count exactly the billable ones, and
// an admin key must never read another entity. Then the `after` cursor under concurrent writers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, freePort, skipWithoutPostgres, startPostgres } from '../support/postgres';
import { type EntitySpec, type Envelope, Stats, batchOf, collectorConfig, deliver, envelope, pool, readAll, readEvents, repeated } from './support/load';
import { type Replica, killReplica, requireCli, startReplica, stopReplica, waitReady } from './support/replicas';

const BATCHES = 300; // per entity
const PER_BATCH = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skipWithoutPostgres())('collector replicas on PostgreSQL shards', () => {
  let dir: string;
  let configPath: string;
  const shards: Cluster[] = [];
  const replicas: Replica[] = [];
  let entities: Record<'a' | 'b' | 'c', EntitySpec>;
  const urls = () => replicas.map((r) => r.url);
  // A replica that died on its own (not killed by the scenario) is the first thing to report.
  const crashed = () =>
    replicas
      .filter((r) => r.child.exitCode !== null || r.child.signalCode !== null)
      .map((r) => `${r.url} exited (${r.child.signalCode ?? r.child.exitCode}):\n${r.output()}`);

  beforeAll(async () => {
    requireCli();
    dir = mkdtempSync(join(tmpdir(), 'shoptrail-replicas-'));
    shards.push(...(await Promise.all([startPostgres(), startPostgres()])));
    entities = {
      a: { entity: 'a', writeKey: 'pk_a', adminKey: 'sk_a', store: shards[0]!.url },
      b: { entity: 'b', writeKey: 'pk_b', adminKey: 'sk_b', store: shards[1]!.url },
      // c shares a's database: entities apart within one database too
      c: { entity: 'c', writeKey: 'pk_c', adminKey: 'sk_c', store: shards[0]!.url },
    };
    configPath = join(dir, 'collector.json');
    writeFileSync(configPath, JSON.stringify(collectorConfig(Object.values(entities)), null, 2));
    // One at a time: each runs the migrations at start-up, and the first may create the schema.
    for (let i = 0; i < 3; i++) replicas.push(await startReplica(configPath, await freePort()));
    await Promise.all(replicas.map((r) => waitReady(r)));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => stopReplica(r)));
    await Promise.all(shards.map((s) => s.destroy()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('stores every acknowledged event exactly once through a replica kill and a shard crash', async () => {
    const stats = { a: new Stats(), b: new Stats() };
    const sent = { a: new Map<string, Envelope>(), b: new Map<string, Envelope>() };
    let acked = 0;
    const total = 2 * BATCHES;

    // Interleave a and b; batch i goes to replica i mod 3. Every 10th is resent at once to the
    // next replica (two replicas race on the same ids), every 10th + 5 again once acknowledged.
    const jobs: (() => Promise<void>)[] = [];
    for (let i = 0; i < BATCHES; i++) {
      for (const name of ['a', 'b'] as const) {
        const events = Array.from({ length: PER_BATCH }, (_, k) => envelope(name, i * PER_BATCH + k));
        for (const e of events) sent[name].set(e.id, e);
        const body = JSON.stringify(batchOf(entities[name].writeKey, events));
        const resend = () => deliver(body, urls(), i + 1, stats[name]).then(() => undefined);
        jobs.push(async () => {
          await deliver(body, urls(), i, stats[name]);
          acked++;
          if (i % 10 === 5) jobs.push(resend);
        });
        if (i % 10 === 0) jobs.push(resend);
      }
    }

    const progress = async (share: number) => {
      while (acked < share * total) await sleep(10);
    };
    const outage: { status?: number; retryAfter?: string | null; readyz?: number } = {};
    const chaos = async () => {
      await progress(0.2);
      const victim = replicas[2]!;
      await killReplica(victim);
      await sleep(1_000);
      replicas[2] = await startReplica(configPath, victim.port);

      await progress(0.45);
      await shards[1]!.stop('immediate');
      // While b's database is down: 503 with Retry-After for b, and /readyz says not ready.
      const probe = batchOf(entities.b.writeKey, [envelope('b', 1e6)]);
      const ask = (url: string, init: RequestInit = {}) =>
        fetch(url, { ...init, signal: AbortSignal.timeout(10_000) }).catch((error: Error) => ({ status: String(error.cause ?? error), headers: new Headers() }));
      const [response, readyz] = await Promise.all([
        ask(`${replicas[0]!.url}/v1/batch`, { method: 'POST', body: JSON.stringify(probe), headers: { 'Content-Type': 'text/plain' } }),
        ask(`${replicas[1]!.url}/readyz`),
        sleep(2_000),
      ]);
      Object.assign(outage, { status: response.status, retryAfter: response.headers.get('Retry-After'), readyz: readyz.status });
      await shards[1]!.start();
      // The probe's events count like any other once a replica acknowledges them.
      sent.b.set(probe.events[0]!.id, probe.events[0]!);
      await deliver(JSON.stringify(probe), urls(), 0, stats.b);
    };

    const started = Date.now();
    await Promise.all([pool(jobs, 8), chaos()]).catch((error: Error) => {
      throw new Error(`${error.message}\n${crashed().join('\n')}`);
    });
    const loadMs = Date.now() - started;
    expect(crashed()).toEqual([]);
    await Promise.all(replicas.map((r) => waitReady(r)));

    expect(outage).toEqual({ status: 503, retryAfter: expect.stringMatching(/^\d+$/), readyz: 503 });
    // The load really went through the faults: connection errors from the killed replica, 503s from b's outage.
    expect(stats.a.connectionErrors + stats.b.connectionErrors, JSON.stringify([stats.a.summary(), stats.b.summary()])).toBeGreaterThan(0);
    expect(stats.b.unavailable).toBeGreaterThan(0);
    expect(stats.b.unavailableWithRetryAfter).toBe(stats.b.unavailable);

    for (const name of ['a', 'b'] as const) {
      const { adminKey } = entities[name];
      const stored = await readAll(replicas[0]!.url, adminKey);
      const ids = stored.map((e) => e.id);
      const have = new Set(ids);
      const missing = [...sent[name].keys()].filter((id) => !have.has(id));
      const context = `entity ${name}: ${sent[name].size} sent, ${stored.length} stored, seen ${JSON.stringify(stats[name].summary())}, load ${loadMs} ms`;
      expect({ storedTwice: repeated(ids).slice(0, 5), lost: missing.slice(0, 5), lostCount: missing.length }, context).toEqual({
        storedTwice: [],
        lost: [],
        lostCount: 0,
      });
      expect(
        stored.every((e) => e.entity === name && sent[name].has(e.id)),
        `foreign events, ${context}`,
      ).toBe(true);
      // Each reply accounts for its whole batch; accepted can only undercount (a reply lost to SIGKILL).
      expect(stats[name].replies.filter((r) => r.rejected.length > 0 || r.accepted + r.duplicates !== r.sent)).toEqual([]);
      expect(stats[name].replies.reduce((sum, r) => sum + r.accepted, 0)).toBeLessThanOrEqual(stored.length);

      const billable = stored.filter((e) => e.type !== 'web-vitals').length;
      expect(billable).toBeLessThan(stored.length); // some web-vitals, which are free
      for (const replica of replicas) {
        const response = await fetch(`${replica.url}/v1/usage`, { headers: { Authorization: `Bearer ${adminKey}` } });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { usage: { used: number } }).usage.used, `usage of ${name} via ${replica.url}`).toBe(billable);
      }
    }

    // a's admin key never reads b: asked explicitly it gets 403, and its own reads hold only a.
    const bIds = new Set(sent.b.keys());
    for (const replica of replicas) {
      const response = await fetch(`${replica.url}/v1/events?entity=b&limit=10000`, { headers: { Authorization: 'Bearer sk_a' } });
      expect(response.status).toBe(403);
      const text = await response.text();
      expect([...bIds].filter((id) => text.includes(id))).toEqual([]);
    }
    const readByA = await readAll(replicas[1]!.url, 'sk_a');
    expect(readByA.filter((e) => bIds.has(e.id) || e.entity !== 'a')).toEqual([]);
  }, 110_000);

  it('polling with ?after= sees every event once while 3 replicas commit concurrently', async () => {
    const { writeKey, adminKey } = entities.c;
    const stats = new Stats();
    const sent = new Set<string>();
    const jobs: (() => Promise<void>)[] = [];
    for (let i = 0; i < 150; i++) {
      const events = Array.from({ length: 10 }, (_, k) => envelope('c', i * 10 + k));
      for (const e of events) sent.add(e.id);
      const body = JSON.stringify(batchOf(writeKey, events));
      jobs.push(() => deliver(body, urls(), i, stats).then(() => undefined));
    }

    // One reader polls one replica with the cursor of its last page, as a live view would.
    const polled: string[] = [];
    let writing = true;
    const poll = async () => {
      let after = '';
      let quiet = 0;
      // Keep polling until the writers are done and two pages in a row come back empty.
      while (writing || quiet < 2) {
        const page = await readEvents(replicas[0]!.url, adminKey, after, 37);
        polled.push(...page.map((e) => e.id));
        if (page.length > 0) after = page[page.length - 1]!.id;
        quiet = page.length === 0 && !writing ? quiet + 1 : 0;
        if (page.length < 37) await sleep(5);
      }
    };
    const writers = pool(jobs, 9).finally(() => {
      writing = false;
    });
    await Promise.all([writers, poll()]).catch((error: Error) => {
      throw new Error(`${error.message}\n${crashed().join('\n')}`);
    });
    expect(crashed()).toEqual([]);

    const stored = (await readAll(replicas[2]!.url, adminKey)).map((e) => e.id);
    const [seen, kept] = [new Set(polled), new Set(stored)];
    const missed = stored.filter((id) => !seen.has(id));
    const context = `${stored.length} stored, ${polled.length} polled, first missed: ${missed.slice(0, 3).join(', ')}`;
    expect({ twice: repeated(polled).length, missed: missed.length, notStored: polled.filter((id) => !kept.has(id)).length }, context).toEqual({
      twice: 0,
      missed: 0,
      notStored: 0,
    });
    expect(new Set(stored)).toEqual(sent);
  }, 60_000);
});

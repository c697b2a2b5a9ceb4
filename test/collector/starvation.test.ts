// Issue 18, "one client starves every store": while keyless clients post megabytes of nested
// brackets (with no key, and with an unknown key in the query string) and another store's key
// sends 1 MiB batches as fast as it can, a well-behaved store's small batches keep their speed.
// The collector runs in a child process; every loop here is bounded in time.
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/collector/config';
import { batch, event, OTHER_KEY, WRITE_KEY } from './support/app';
import { type Child, childStore, startChild } from './support/child';
import { ENGINE } from './support/engine';

let child: Child | undefined;
afterAll(() => child?.stop());

/**
 * On PostgreSQL a batch makes about 16 round trips (three short transactions: budgets before and
 * after the body, then the batch), and each reply waits its turn behind the flood's callbacks in
 * the event loop, while the database's own processes share the same cores: measured 4–6.6× on a
 * 2-core machine under a load of 8. SQLite answers in one turn: 1.5–4.4×.
 */
const FACTOR = ENGINE === 'postgres' ? 8 : 5;
const SAMPLES = 100;
const ROUNDS = 10;
const FLOOD_MS = 60_000; // an upper bound: the flood stops as soon as the samples are taken

/**
 * POST over a connection pool of the client's own: one shopper's browser never shares a
 * connection with an attacker (fetch's global pool would, and inherit sockets the server cut).
 */
const postWith = (agent: Agent, url: string, body: string | Buffer): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The well-behaved store: small batches, one after another, key in the query string. */
const storeLatencies = async (url: string, n: number): Promise<number[]> => {
  const times: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify(batch([event(), event('search', { query: 'tea' }), event()]));
    const started = performance.now();
    const status = await postWith(agent, `${url}/v1/batch?writeKey=${WRITE_KEY}`, body);
    times.push(performance.now() - started);
    expect(status).toBe(200);
  }
  agent.destroy();
  return times;
};

/** Hostile clients in a worker thread (support/flood.mjs), paused until resumed. */
const startFlood = (url: string, clients: Array<{ path: string; bodies: Uint8Array[] }>) => {
  const worker = new Worker(join(import.meta.dirname, 'support', 'flood.mjs'), { workerData: { url, clients, ms: FLOOD_MS } });
  const waiting = new Map<string, () => void>();
  const until = (signal: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`flood: no "${signal}" within 10 s`)), 10_000);
      waiting.set(signal, () => (clearTimeout(timer), resolve()));
    });
  const done = new Promise<Record<string, number>>((resolve, reject) => {
    worker.on('message', (message: string | { counts: Record<string, number> }) => {
      if (typeof message !== 'string') return resolve(message.counts);
      waiting.get(message)?.();
      waiting.delete(message);
    });
    worker.once('error', reject);
  });
  return {
    /** Resolves once every client has been answered twice: the flood is at full speed. */
    resume: () => {
      const flooding = until('flooding');
      worker.postMessage('resume');
      return flooding;
    },
    /** Resolves once no flood request is in flight. */
    pause: () => {
      const paused = until('paused');
      worker.postMessage('pause');
      return paused;
    },
    stop: async () => {
      worker.postMessage('stop');
      const counts = await done;
      await worker.terminate();
      return counts;
    },
  };
};

describe('starvation', () => {
  it("keeps a well-behaved store's p50 within a small factor of its unloaded p50 under a keyless flood and an abusive key", { timeout: 90_000 }, async () => {
    const store = await childStore(join(mkdtempSync(join(tmpdir(), 'shoptrail-flood-')), 'collector.db'));
    const config = parseConfig({
      store,
      entities: [
        { entity: 'shop', writeKeys: [WRITE_KEY], allowedOrigins: ['*'], adminKey: 'sk_flood_shop' },
        { entity: 'other', writeKeys: [OTHER_KEY], allowedOrigins: ['*'], adminKey: 'sk_flood_other' },
      ],
      // Bytes are what the abusive key spends; the store's small batches stay far below.
      rateLimit: { perSecond: 1000, burst: 1000, bytesPerSecond: 64 * 1024, bytesBurst: 1024 * 1024 },
    });
    child = await startChild(config);
    const { url } = child;

    const brackets = Buffer.from('['.repeat(1_000_000)); // made once: the clients' own CPU is not the collector's
    // ~1 MiB of valid events under the abusive key's own (other) entity.
    const fat = { name: 'fat', properties: { text: 'x'.repeat(1500) } };
    const abusive = () =>
      Buffer.from(
        JSON.stringify(
          batch(
            Array.from({ length: 500 }, () => event('custom-event', fat, { entity: 'other' })),
            OTHER_KEY,
          ),
        ),
      );
    const flood = startFlood(url, [
      // Four keyless clients, as in the issue: two the old way (no key before the body), two with a made-up key.
      ...Array.from({ length: 2 }, () => ({ path: '/v1/batch', bodies: [brackets] })),
      ...Array.from({ length: 2 }, () => ({ path: '/v1/batch?writeKey=pk_nobody', bodies: [brackets] })),
      { path: `/v1/batch?writeKey=${OTHER_KEY}`, bodies: Array.from({ length: 8 }, abusive) },
    ]);

    await storeLatencies(url, 15); // warm-up: connections, prepared statements, JIT
    // Quiet and flooded rounds alternate, so the machine's other load weighs on both alike.
    const quiet: number[] = [];
    const flooded: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      quiet.push(...(await storeLatencies(url, SAMPLES / ROUNDS)));
      await flood.resume();
      flooded.push(...(await storeLatencies(url, SAMPLES / ROUNDS)));
      await flood.pause();
    }
    const counts = await flood.stop();
    const unloaded = median(quiet);
    const loaded = median(flooded);

    const summary = { unloadedP50Ms: +unloaded.toFixed(2), floodP50Ms: +loaded.toFixed(2), factor: +(loaded / unloaded).toFixed(2), floodAnswers: counts };
    console.log(`starvation: ${JSON.stringify(summary)}`);
    // The flood was real: refused bodies (400 deep, 401 unknown key) and the abusive key throttled (429).
    expect(counts[400] ?? 0).toBeGreaterThan(0);
    expect(counts[401] ?? 0).toBeGreaterThan(0);
    expect(counts[429] ?? 0).toBeGreaterThan(0);
    // A floor of 1 ms keeps a sub-millisecond unloaded p50 from making the factor meaningless.
    expect(loaded).toBeLessThanOrEqual(FACTOR * Math.max(unloaded, 1));
  });
});

// `npm run bench:ingest`: the collector's ingest rate on loopback, on both engines.
// - SQLite: the demo collector (real SQLite file, WAL) in this process, as `npm run demo` runs it.
// - PostgreSQL: 1, then 3 replicas of the collector bin (dist/collector/cli.mjs) on a cluster
//   started for the run (initdb, pg_ctl; test/support/postgres.ts), the load round-robin.
// The load always comes from a second process (ingestClient.mjs), the same for every run: on a
// machine of few cores more requests in flight add queueing, not throughput. Options:
// --requests=1000 --batch=100 --concurrency=4 (in flight in all) --plain (no gzip) --only=sqlite|postgres.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/collector/keys';
import { DEMO_CONFIG, startDemo } from '../../demo/server';
import { CLI } from '../cluster/support/replicas';
import { postgresMissing, startPostgres } from '../support/postgres';
import { BENCH, startReplicaSet } from './ingestReplicas';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const requests = arg('requests', 1000);
const batch = arg('batch', 100);
const concurrency = arg('concurrency', 4);
const gzip = !process.argv.includes('--plain');
const only = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1];
// What the README quotes for one SQLite process on this machine before PostgreSQL existed.
const TARGET = { eventsPerSecond: 8369, p99: 85 };

interface Run {
  requests: number;
  events: number;
  accepted: number;
  failed: number;
  ms: number;
  p50: number;
  p99: number;
}

const load = async (endpoints: string[], writeKey: string, entity: string, origin: string, inFlight: number): Promise<Run> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(import.meta.dirname, 'ingestClient.mjs'),
      endpoints.join(','),
      writeKey,
      entity,
      origin,
      String(requests),
      String(batch),
      String(inFlight),
      gzip ? 'gzip' : 'plain',
    ],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as Run;
};

const rateOf = (r: Run) => Math.round(r.accepted / (r.ms / 1000));
const summary = (r: Run, inFlight: number) =>
  `${r.accepted}/${r.events} events stored in ${(r.ms / 1000).toFixed(2)} s = ${rateOf(r)} events/s ` +
  `(${r.requests} batches of ${batch}, ${gzip ? 'gzip' : 'plain JSON'}, ${inFlight} in flight, ${r.failed} failed); ` +
  `latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;
const load3 = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const check = (r: Run) => {
  if (r.failed > 0 || r.accepted !== r.events) process.exitCode = 1;
};

console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${load3()}, Node ${process.version}`);
console.log(`command: npm run bench:ingest${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`);

const dir = mkdtempSync(join(tmpdir(), 'shoptrail-bench-ingest-'));
const results: Record<string, Run> = {};
try {
  if (only !== 'postgres') {
    // The per-key rate limit guards stores from runaway pages; the bench measures the writer.
    const config = loadConfig(DEMO_CONFIG);
    // every budget out of the way: the bench measures ingest
    config.rateLimit = { perSecond: 1e9, burst: 1e9, eventsPerSecond: 1e9, eventsBurst: 1e9, bytesPerSecond: 1e12, bytesBurst: 1e12 };
    const demo = await startDemo({ port: 0, dbPath: join(dir, 'ingest.db'), quiet: true, config });
    try {
      // This process runs only the collector while the load runs: its CPU time is the cost of
      // ingest, a figure that moves less than wall time on a shared machine.
      const cpu = process.cpuUsage();
      const r = await load([demo.collectorUrl], demo.writeKey, demo.entity, demo.storeUrl, concurrency);
      const { user, system } = process.cpuUsage(cpu);
      const cpuSeconds = (user + system) / 1e6;
      console.log(`ingest: ${summary(r, concurrency)}; collector CPU ${cpuSeconds.toFixed(2)} s = ${Math.round(r.accepted / cpuSeconds)} events per CPU-second`);
      results.sqlite = r;
      check(r);
    } finally {
      await demo.close();
    }
  }

  if (only !== 'sqlite') {
    const missing = postgresMissing() ?? (existsSync(CLI) ? undefined : `${CLI} is missing (node esbuild.config.mjs builds it)`);
    if (missing) {
      console.log(`ingest postgres: not run: ${missing}`);
      process.exitCode = 1;
    } else {
      const cluster = await startPostgres();
      try {
        for (const count of [1, 3]) {
          const set = await startReplicaSet(cluster, `bench_${count}`, count, dir);
          try {
            const before = set.cpu();
            const r = await load(set.urls, BENCH.writeKey, BENCH.entity, 'http://shop.test', concurrency);
            const after = set.cpu();
            const [replicas, postgres] = [after.replicas - before.replicas, after.postgres - before.postgres];
            console.log(
              `ingest postgres, ${count} replica${count > 1 ? 's' : ''}: ${summary(r, concurrency)}; ` +
                `CPU: replicas ${replicas.toFixed(2)} s, PostgreSQL ${postgres.toFixed(2)} s = ${Math.round(r.accepted / (replicas + postgres))} events per CPU-second`,
            );
            results[`postgres${count}`] = r;
            check(r);
          } finally {
            await set.stop();
          }
        }
      } finally {
        await cluster.destroy();
      }
    }
  }

  const pg3 = results.postgres3;
  if (pg3) {
    const sqlite = results.sqlite;
    const met = rateOf(pg3) >= TARGET.eventsPerSecond;
    console.log(
      `target: 3 replicas on PostgreSQL ≥ one SQLite process (${TARGET.eventsPerSecond} events/s, p99 ${TARGET.p99} ms in the README): ` +
        `${rateOf(pg3)} events/s, p99 ${pg3.p99.toFixed(1)} ms: ${met ? 'met' : 'NOT met'}` +
        (sqlite ? `; SQLite in this run: ${rateOf(sqlite)} events/s, p99 ${sqlite.p99.toFixed(1)} ms` : ''),
    );
  }
  console.log(`load average after: ${load3()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

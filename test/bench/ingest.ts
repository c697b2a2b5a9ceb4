// `npm run bench:ingest`: the collector's ingest rate on loopback. The collector (real SQLite
// file, WAL) runs in this process; the load comes from a second process (ingestClient.mjs).
// Options: --requests=1000 --batch=100 --concurrency=4 --plain (no gzip).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/collector/keys';
import { DEMO_CONFIG, startDemo } from '../../demo/server';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const requests = arg('requests', 1000);
const batch = arg('batch', 100);
const concurrency = arg('concurrency', 4);
const gzip = !process.argv.includes('--plain');

// The per-key rate limit guards stores from runaway pages; the bench measures the writer.
const config = loadConfig(DEMO_CONFIG);
config.rateLimit = { perSecond: 1e9, burst: 1e9, eventsPerSecond: 1e9, eventsBurst: 1e9, bytesPerSecond: 1e12, bytesBurst: 1e12 }; // every budget out of the way: the bench measures ingest
const dir = mkdtempSync(join(tmpdir(), 'shoptrail-bench-ingest-'));
const demo = await startDemo({ port: 0, dbPath: join(dir, 'ingest.db'), quiet: true, config });
try {
  // This process runs only the collector while the load runs: its CPU time is the cost of
  // ingest, a figure that moves less than wall time on a shared machine.
  const cpu = process.cpuUsage();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(import.meta.dirname, 'ingestClient.mjs'),
      demo.collectorUrl,
      demo.writeKey,
      demo.entity,
      demo.storeUrl,
      String(requests),
      String(batch),
      String(concurrency),
      gzip ? 'gzip' : 'plain',
    ],
    { maxBuffer: 1 << 20 },
  );
  const { user, system } = process.cpuUsage(cpu);
  const cpuSeconds = (user + system) / 1e6;
  const r = JSON.parse(stdout) as { requests: number; events: number; accepted: number; failed: number; ms: number; p50: number; p99: number };
  const rate = Math.round(r.accepted / (r.ms / 1000));
  console.log(
    `ingest: ${r.accepted}/${r.events} events stored in ${(r.ms / 1000).toFixed(2)} s = ${rate} events/s ` +
      `(${r.requests} batches of ${batch}, ${gzip ? 'gzip' : 'plain JSON'}, ${concurrency} in flight, ${r.failed} failed); ` +
      `latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; ` +
      `collector CPU ${cpuSeconds.toFixed(2)} s = ${Math.round(r.accepted / cpuSeconds)} events per CPU-second`,
  );
  if (r.failed > 0 || r.accepted !== r.events) process.exitCode = 1;
} finally {
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
}

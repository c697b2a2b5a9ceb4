// The collector's ingest rate: the demo collector (real SQLite, WAL) in this process, the load
// from a second process on loopback (load.ts), bounded in events and time.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasDemo } from './targets';

export interface Ingest {
  events: number;
  accepted: number;
  requests: number;
  failed: number;
  ms: number;
  eventsPerSecond: number;
  batch: number;
  concurrency: number;
}

const ROOT = join(import.meta.dirname, '..', '..');
const EVENTS = 20_000;
const BATCH = 100;
const CONCURRENCY = 4;

export const measureIngest = async (log: (line: string) => void): Promise<Ingest> => {
  if (!hasDemo()) throw new Error('demo/server.ts is not there yet: no collector to measure');
  const { startDemo } = (await import(join(ROOT, 'demo', 'server.ts'))) as {
    startDemo: (o: Record<string, unknown>) => Promise<{ storeUrl: string; collectorUrl: string; writeKey: string; entity: string; close(): Promise<void> }>;
  };
  const dir = mkdtempSync(join(tmpdir(), 'shoptrail-ingest-'));
  const demo = await startDemo({ port: 0, dbPath: join(dir, 'ingest.db'), quiet: true });
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import', 'tsx', join(import.meta.dirname, 'load.ts'),
        `--endpoint=${demo.collectorUrl}`, `--write-key=${demo.writeKey}`, `--entity=${demo.entity}`,
        `--origin=${new URL(demo.storeUrl).origin}`, `--events=${EVENTS}`, `--batch=${BATCH}`,
        `--concurrency=${CONCURRENCY}`, '--limit-ms=60000',
      ],
      { cwd: ROOT, timeout: 90_000 },
    );
    const run = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<Ingest, 'eventsPerSecond' | 'batch' | 'concurrency'>;
    const result = { ...run, eventsPerSecond: Math.round((run.accepted * 1000) / run.ms), batch: BATCH, concurrency: CONCURRENCY };
    log(`  ${result.accepted}/${result.events} accepted in ${result.ms} ms: ${result.eventsPerSecond} events/s (${result.failed} failed requests)`);
    return result;
  } finally {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

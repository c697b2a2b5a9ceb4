// The collector's ingest rate for the bench table: runs the collector's own load test
// (test/bench/ingest.ts — the demo collector on real SQLite in one process, the load from a
// second process on loopback, bounded in requests) and reads its result line.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Ingest {
  eventsPerSecond: number;
  accepted: number;
  events: number;
  line: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

export const measureIngest = async (log: (line: string) => void): Promise<Ingest> => {
  // The SQLite run only: the table's figure, and no PostgreSQL needed for `npm run bench`.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join('test', 'bench', 'ingest.ts'), '--only=sqlite'], {
    cwd: ROOT,
    timeout: 180_000,
  });
  const line =
    stdout
      .trim()
      .split('\n')
      .find((l) => l.startsWith('ingest:')) ?? '';
  const match = /ingest: (\d+)\/(\d+) events stored .* = (\d+) events\/s/.exec(line);
  if (!match) throw new Error(`unexpected output from test/bench/ingest.ts: ${stdout.slice(0, 200)}`);
  log(`  ${line}`);
  return { accepted: Number(match[1]), events: Number(match[2]), eventsPerSecond: Number(match[3]), line: line.slice(8) };
};

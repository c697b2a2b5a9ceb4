// Prints the bench tables from a results file (default test/bench/results/latest.json), for
// quoting in docs/benchmarks.md: `npx tsx test/bench/readme.ts [file]`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './run';
import { formatDurability, formatTable } from './table';

const file = process.argv[2] ?? join(import.meta.dirname, 'results', 'latest.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
const { machine } = results;
console.log(
  `${results.date.slice(0, 16).replace('T', ' ')} UTC · ${machine.cpus} cores (${machine.cpuModel}) · Chromium ${machine.chromium} · Node ${machine.node} · ${results.runtimeSeconds} s\n`,
);
console.log(process.argv.includes('--durability') ? formatDurability(results) : formatTable(results));

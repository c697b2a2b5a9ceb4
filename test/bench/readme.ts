// Prints the bench tables from a results file (default test/bench/results/latest.json):
// `npx tsx test/bench/readme.ts [file] [--durability]`. docs/benchmarks.md gets the same tables
// from `npm run bench:docs`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './run';
import { formatDurability, formatTable } from './table';

const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? join(import.meta.dirname, 'results', 'latest.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
const { machine } = results;
console.log(
  `${results.date.slice(0, 16).replace('T', ' ')} UTC · ${results.command} · ${machine.cpus} cores (${machine.cpuModel}) · Chromium ${machine.chromium} · Node ${machine.node} · ${results.runtimeSeconds} s\n`,
);
console.log(process.argv.includes('--durability') ? formatDurability(results) : formatTable(results));

// The bench's report is generated from the results file alone: medians and ranges over rounds,
// ratios, notes and the docs block. Checked here on a small synthetic results object.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBlock, renderClaims, writeDocs } from '../bench/docs';
import type { Measured } from '../bench/measure';
import type { BenchResults, SdkResult } from '../bench/run';
import { type Summary, spread, summarise } from '../bench/summary';
import { formatCost, formatDelivery, spreadCell } from '../bench/table';

// rendererUs undefined: a round from a results file written before the renderer's CPU time was measured;
// sched undefined: one from before the main thread's CPU and run-queue wait were (or without /proc).
const round = (round: number, mainUs: number, cookieWrites: number, rendererUs?: number, sched?: [cpuUs: number, waitUs: number]): Measured => ({
  round,
  order: 0,
  loadavg: 1,
  cost: { coldUs: 40 + round, coldCalls: 1000, warmUs: 6, runs: [6, 6, 6, 6, 6], calls: [10000, 10000, 10000, 10000, 10000] },
  delivery: {
    events: 10000,
    issueMs: 100,
    delivered: 10000,
    duplicates: 0,
    deliverMs: 2000,
    requests: 100,
    bodyBytes: 330000,
    headerBytes: 60000,
    headersEstimated: 0,
    longtasks: 0,
    longestTaskMs: 0,
    longtaskTotalMs: 0,
    idbTransactionsPer1000: 50,
    mainThread: { taskMs: mainUs * 10, windowMs: 3000, idleMsPerS: 0.5, idle: true },
    mainThreadUsPerEvent: mainUs,
    ...(sched == null
      ? {}
      : {
          mainThreadSched: { cpuMs: sched[0] * 10, waitMs: sched[1] * 10, idleCpuMsPerS: 0.4, idleWaitMsPerS: 0.1 },
          mainThreadCpuUsPerEvent: sched[0],
          mainThreadWaitUsPerEvent: sched[1],
        }),
    ...(rendererUs == null ? {} : { rendererCpu: { cpuMs: rendererUs * 10, idleMsPerS: 1 }, rendererCpuUsPerEvent: rendererUs }),
    perEvent: { cookieReads: cookieWrites * 2, cookieWrites, storageReads: 0, storageWrites: 0, cookieUs: cookieWrites * 300, storageUs: 0 },
    cookieRoundTripUs: 500,
  },
  errors: [],
});

const sdk = (name: string, rounds: Measured[]): SdkResult => ({
  name,
  version: '1.0.0',
  receiver: 'local sink',
  sizes: { minified: 40000, gzip: 16000, brotli: 14000 },
  rounds,
});

const results = (overrides: Partial<BenchResults> = {}): BenchResults => ({
  date: '2026-12-02T04:00:00.000Z',
  command: 'npm run bench',
  machine: { cpus: 2, cpuModel: 'test', node: 'v20', chromium: '156' },
  runtimeSeconds: 10,
  rounds: 3,
  burst: 10000,
  loadavg: [0, 1, 2].map(() => ({ start: [0.5, 0.5, 0.5], end: [0.6, 0.6, 0.6] })),
  sdks: [
    sdk('shoptrail', [round(0, 400, 0, 900, [250, 140]), round(1, 380, 0, 850, [240, 130]), round(2, 420, 0, 950, [260, 150])]),
    sdk('peer', [round(0, 1600, 4, 1700, [1000, 500]), round(1, 2000, 4, 2100, [1200, 700]), round(2, 1800, 4, 1900, [1100, 600])]),
  ],
  cookieLoad: { asIsUs: 100, loadedUs: 300, spinners: 4, samples: 5 },
  ...overrides,
});

describe('bench report', () => {
  it('gives the median and range over rounds', () => {
    const s = spread(results().sdks[1]!.rounds, (m) => m.delivery?.mainThreadUsPerEvent);
    expect(s).toEqual({ median: 1800, min: 1600, max: 2000, n: 3 });
    expect(spreadCell(s)).toBe('1,800 (1,600–2,000)');
  });

  it('leads with main-thread time per event and gives Shoptrail ÷ peer ratios of the medians', () => {
    const [header, , ours, peer] = formatCost(results()).split('\n');
    expect(header).toMatch(/^\| SDK +\| version +\| main thread µs\/event/);
    expect(ours).toContain('400 (380–420)');
    expect(peer).toContain('0.22×'); // 400 / 1,800
    expect(peer).toContain('8.00 / 4.00');
  });

  it("splits the main thread's time into CPU (with its ratio) and run-queue wait right after it, and says how to read them", () => {
    const table = formatCost(results());
    const [header, , ours, peer] = table.split('\n');
    expect(header).toMatch(
      /\| main thread µs\/event +\| ratio +\| main-thread CPU µs\/event +\| ratio +\| main-thread run-queue wait µs\/event +\| renderer CPU µs\/event/,
    );
    expect(ours).toMatch(/\| 400 \(380–420\) +\| +\| 250 \(240–260\) +\| +\| 140 \(130–150\) +\| 900/);
    expect(peer).toMatch(/\| 0\.22× +\| 1,100 \(1,000–1,200\) +\| 0\.23× +\| 600 \(500–700\) +\| 1,900/); // 250 / 1,100
    expect(table).toContain('TaskDuration is the wall time of the main thread');
    expect(table).toContain('CPU + wait ≈ task time');
  });

  it("puts the renderer's CPU time on all threads, with its ratio, after the main thread's, and says how to read it", () => {
    const table = formatCost(results());
    const [header, , ours, peer] = table.split('\n');
    expect(header).toMatch(/\| main-thread run-queue wait µs\/event +\| renderer CPU µs\/event \(all threads\) +\| ratio +\| idle ms\/s/);
    expect(ours).toMatch(/\| 140 \(130–150\) +\| 900 \(850–950\) +\| +\|/);
    expect(peer).toMatch(/\| 600 \(500–700\) +\| 1,900 \(1,700–2,100\) +\| 0\.47× +\|/); // 900 / 1,900
    expect(table).toContain('work an SDK does in a Web Worker shows here and not in the main-thread column');
  });

  it('prints – for the main-thread CPU and wait of results without them', () => {
    const old = results({ sdks: [sdk('shoptrail', [round(0, 400, 0, 900)]), sdk('peer', [round(0, 1600, 4, 1700)])] });
    const table = formatCost(old);
    const [, , ours, peer] = table.split('\n');
    expect(ours).toMatch(/\| 400 +\| +\| – +\| +\| – +\| 900 +\|/);
    expect(peer).toMatch(/\| 0\.25× +\| – +\| – +\| – +\| 1,700 +\|/);
    expect(table).toContain('Main-thread CPU and run-queue wait: not measured in this run');
    // A stored summary from before the figures lacks the keys altogether.
    const stored = old.sdks.map((s) => ({
      ...s,
      summary: Object.fromEntries(Object.entries(summarise(s.rounds)).filter(([k]) => !k.startsWith('mainThreadCpu') && !k.startsWith('mainThreadWait'))) as Summary,
    }));
    expect(formatCost({ ...old, sdks: stored }).split('\n')[3]).toMatch(/\| 0\.25× +\| – +\| – +\| – +\| 1,700 +\|/);
    // Ours measured, the peer's not: no ratio to a figure that is not there.
    const mixed = results({ sdks: [sdk('shoptrail', [round(0, 400, 0, 900, [250, 140])]), sdk('peer', [round(0, 1600, 4, 1700)])] });
    expect(formatCost(mixed).split('\n')[3]).toMatch(/\| 0\.25× +\| – +\| – +\| – +\| 1,700 +\|/);
  });

  it('prints – for the renderer CPU of results written before it was measured', () => {
    const old = results({ sdks: [sdk('shoptrail', [round(0, 400, 0)]), sdk('peer', [round(0, 1600, 4)])] });
    const table = formatCost(old);
    const [, , ours, peer] = table.split('\n');
    expect(ours).toMatch(/\| 400 +\| +\| – +\| +\| – +\| – +\| +\|/);
    expect(peer).toMatch(/\| 0\.25× +\| – +\| – +\| – +\| – +\| – +\|/);
    expect(table).toContain('Renderer CPU (all threads): not measured in this run');
    expect(renderClaims(old)).not.toContain('Renderer CPU');
    // A stored summary from before the figure lacks the key altogether.
    const stored = old.sdks.map((s) => ({
      ...s,
      summary: Object.fromEntries(Object.entries(summarise(s.rounds)).filter(([k]) => k !== 'rendererCpuUs')) as Summary,
    }));
    expect(formatCost({ ...old, sdks: stored }).split('\n')[3]).toMatch(/\| 0\.25× +\| – +\| – +\| – +\| – +\| – +\|/);
    // One SDK measured, the other from before: no ratio to a figure that is not there.
    const mixed = results({ sdks: [sdk('shoptrail', [round(0, 400, 0, 900)]), sdk('peer', [round(0, 1600, 4)])] });
    expect(formatCost(mixed).split('\n')[3]).toMatch(/\| 0\.25× +\| – +\| – +\| – +\| – +\| – +\|/);
  });

  it('counts header bytes in bytes per event', () => {
    const peer = formatDelivery(results()).split('\n')[3]!;
    expect(peer).toMatch(/\| 33 +\| 6 +\| 39 +\|/);
  });

  it('marks a partial run and writes its figures from the results only', () => {
    const block = renderBlock(results({ rounds: 1, only: ['shoptrail'] }));
    expect(block).toContain('A partial run (only shoptrail; 1 round)');
    expect(block).toContain(
      'peer**: per event, 8.00 document.cookie reads and 4.00 writes, no Storage access; 1,200 µs per event inside document.cookie (67 % of its main-thread time)',
    );
    expect(block).toContain('3.0× as long');
    expect(block).toContain('Shoptrail does not');
  });

  it('rewrites only the marked blocks of the docs page and of the README', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-docs-'));
    const file = join(dir, 'benchmarks.md');
    const readme = join(dir, 'README.md');
    writeFileSync(file, 'before\n<!-- bench:begin old -->\nold\n<!-- bench:end -->\nafter\n');
    writeFileSync(readme, '# Title\n<!-- bench:claims:begin old -->\nold\n<!-- bench:claims:end -->\nrest\n');
    writeDocs(results(), file, readme);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('before\n<!-- bench:begin generated')).toBe(true);
    expect(text.endsWith('<!-- bench:end -->\nafter\n')).toBe(true);
    expect(text).not.toContain('\nold\n');
    const claims = readFileSync(readme, 'utf8');
    expect(claims.startsWith('# Title\n<!-- bench:claims:begin generated')).toBe(true);
    expect(claims.endsWith('<!-- bench:claims:end -->\nrest\n')).toBe(true);
  });

  it('writes the README claims from the run, whichever way they fall', () => {
    const claims = renderClaims(results());
    // shoptrail 400 µs a median, peer 1,800: 4.5× as much; cold 41 vs 41 (no slower).
    expect(claims).toContain("- **Main-thread time per event**: Shoptrail 400 (380–420 over 3 rounds) µs; peer 1,800 (4.50× Shoptrail's)");
    expect(claims).toContain('no slower than the fastest peer, peer (41.0 µs)');
    expect(claims).toContain(
      "- **Renderer CPU per event, all threads**: Shoptrail 900 (850–950 over 3 rounds) µs; peer 1,900 (2.11× Shoptrail's). Every thread of the page's renderer",
    );
    const slower = renderClaims(results({ rounds: 1, sdks: [sdk('shoptrail', [round(0, 400, 0)]), sdk('peer', [round(0, 100, 0)])] }));
    expect(slower).toContain("peer 100 (0.25× Shoptrail's)");
    expect(slower).toContain('A partial run');
  });
});

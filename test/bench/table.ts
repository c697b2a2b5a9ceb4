// The bench's tables (Markdown, so docs/benchmarks.md quotes them as printed): main-thread cost
// first (split into time on a core and time waiting for one, and beside it the renderer's CPU time
// on all threads), then size and delivery, then durability; each figure the median over the rounds
// with its range, and Shoptrail ÷ peer ratios of the medians. Reads only the results object.
import { BURST_LIMIT_MS, COLD_CALLS, DELIVERY_LIMIT_MS, IDLE_LIMIT_MS, RUN_LIMIT_MS, SLOW_CALLS, SLOW_US, WARM_RUNS } from './measure';
import type { BenchResults, SdkResult } from './run';
import { type Spread, summarise } from './summary';

const kb = (bytes?: number) => (bytes == null ? '–' : (bytes / 1024).toFixed(1));

/** A figure with as many digits as it deserves: 2.41, 38.6, 1,954. */
export const num = (value: number | undefined): string => {
  if (value == null || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(abs >= 10 ? 1 : 2);
};

/** "median (min–max)", or the one value when a single round has it. */
export const spreadCell = (s: Spread | undefined, format: (v: number | undefined) => string = num): string => {
  if (!s) return '–';
  if (s.n === 1 || format(s.min) === format(s.max)) return format(s.median);
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
};

const whole = (v: number | undefined) => (v == null ? '–' : Math.round(v).toLocaleString('en-US'));

const ratio = (ours?: number, theirs?: number) =>
  ours == null || theirs == null || theirs === 0 ? '–' : `${ours / theirs < 0.1 ? (ours / theirs).toPrecision(2) : (ours / theirs).toFixed(2)}×`;

const markdown = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

const summaryOf = (sdk: SdkResult) => sdk.summary ?? summarise(sdk.rounds);
const ran = (results: BenchResults) => results.sdks.filter((sdk) => sdk.rounds.length || sdk.skipped);

/** Warm runs shorter than the burst: the SDK was slower than SLOW_US a call, or a run hit the time cap. */
const short = (sdk: SdkResult, burst: number) => sdk.rounds.some((m) => m.cost && (m.cost.calls.length < WARM_RUNS || m.cost.calls.some((n) => n < burst)));

export const formatCost = (results: BenchResults): string => {
  const ours = results.sdks.find((s) => s.name === 'shoptrail');
  const o = ours && summaryOf(ours);
  const header = [
    'SDK',
    'version',
    'main thread µs/event',
    'ratio',
    'main-thread CPU µs/event',
    'ratio',
    'main-thread run-queue wait µs/event',
    'renderer CPU µs/event (all threads)',
    'ratio',
    'idle ms/s',
    `cold track() µs`,
    'ratio',
    'warm track() µs',
    'ratio',
    'cookie reads/writes per event',
    'in cookies µs/event',
    'in Storage µs/event',
    'long tasks',
  ];
  const rows = ran(results).map((sdk) => {
    const s = summaryOf(sdk);
    const isUs = sdk === ours;
    const cookies = s.cookieReads && s.cookieWrites ? `${num(s.cookieReads.median)} / ${num(s.cookieWrites.median)}` : '–';
    return [
      sdk.name,
      sdk.version,
      spreadCell(s.mainThreadUs),
      isUs ? '' : ratio(o?.mainThreadUs?.median, s.mainThreadUs?.median),
      spreadCell(s.mainThreadCpuUs),
      isUs ? '' : ratio(o?.mainThreadCpuUs?.median, s.mainThreadCpuUs?.median),
      spreadCell(s.mainThreadWaitUs),
      spreadCell(s.rendererCpuUs),
      isUs ? '' : ratio(o?.rendererCpuUs?.median, s.rendererCpuUs?.median),
      spreadCell(s.idleMsPerS),
      spreadCell(s.coldUs),
      isUs ? '' : ratio(o?.coldUs?.median, s.coldUs?.median),
      `${spreadCell(s.warmUs)}${short(sdk, results.burst) ? '*' : ''}`,
      isUs ? '' : ratio(o?.warmUs?.median, s.warmUs?.median),
      cookies,
      spreadCell(s.cookieUs),
      spreadCell(s.storageUs),
      s.longtasks ? `${spreadCell(s.longtasks, whole)}${s.longestTaskMs?.max ? `, max ${whole(s.longestTaskMs.max)} ms` : ''}` : '–',
    ];
  });
  return `${markdown(header, rows)}\n\n${schedNote(results)}\n\n${rendererNote(results)}`;
};

/** How to read the CPU and wait columns: why task time is not all CPU time. */
const schedNote = (results: BenchResults): string =>
  ran(results).some((sdk) => summaryOf(sdk).mainThreadCpuUs)
    ? "Main-thread CPU and run-queue wait split the main-thread figure. TaskDuration is the wall time of the main thread's tasks; on a machine " +
      "with fewer free cores than runnable threads (the SDK's worker, the browser's IndexedDB and network work, the bench's own collector) a task's wall time " +
      "includes time the thread was ready to run but waiting for a core. These two columns are the kernel's count for the renderers' main threads " +
      '(`/proc/<pid>/task/<pid>/schedstat`) over the same window, idle rate subtracted: CPU + wait ≈ task time, give or take what the thread does ' +
      'outside tasks (running, or waiting for a core before a task starts, which TaskDuration does not see) and time it spends blocked ' +
      '(a synchronous round trip to another process counts in the task time and in neither column).'
    : "Main-thread CPU and run-queue wait: not measured in this run (they need Linux's /proc, or the results file predates them).";

/** How to read the renderer CPU column: what it counts that the main-thread column does not. */
const rendererNote = (results: BenchResults): string =>
  ran(results).some((sdk) => summaryOf(sdk).rendererCpuUs)
    ? "Renderer CPU is the CPU time of the page's renderer processes on every thread (main thread, workers, compositor, IO), " +
      "from Chromium's process list over the same window as the main-thread figure, idle rate subtracted: work an SDK does in a Web Worker " +
      "shows here and not in the main-thread column. The browser's own processes (network, GPU) are not counted; the figure moves in 10 ms ticks."
    : 'Renderer CPU (all threads): not measured in this run, whose results file predates the figure.';

export const formatDelivery = (results: BenchResults): string => {
  const ours = results.sdks.find((s) => s.name === 'shoptrail');
  const o = ours && summaryOf(ours);
  const header = [
    'SDK',
    'min KB',
    'gzip KB',
    'br KB',
    'gzip ratio',
    `issued of ${results.burst.toLocaleString('en-US')}`,
    'issue s',
    'deliver s',
    'req/ev',
    'body B/ev',
    'header B/ev',
    'B/ev',
    'B/ev ratio',
    'IDB tx/1k ev',
  ];
  const rows = ran(results).map((sdk) => {
    const s = summaryOf(sdk);
    const isUs = sdk === ours;
    // Delivery time only counts rounds where everything issued arrived; say how many did.
    const deliverRounds = sdk.rounds.filter((m) => m.delivery).length;
    const deliver = s.deliverS
      ? `${spreadCell(s.deliverS)}${s.deliverS.n < deliverRounds ? ` (${s.deliverS.n} of ${deliverRounds} rounds)` : ''}`
      : deliverRounds
        ? `>${DELIVERY_LIMIT_MS / 1000} (${spreadCell(s.delivered, whole)} stored)`
        : '–';
    return [
      sdk.name,
      kb(sdk.sizes?.minified),
      kb(sdk.sizes?.gzip),
      kb(sdk.sizes?.brotli),
      isUs ? '' : ratio(ours?.sizes?.gzip, sdk.sizes?.gzip),
      spreadCell(s.issued, whole),
      spreadCell(s.issueS),
      deliver,
      spreadCell(s.requestsPerEvent, (v) => (v == null ? '–' : v.toFixed(3))),
      spreadCell(s.bodyBytesPerEvent, whole),
      spreadCell(s.headerBytesPerEvent, whole),
      spreadCell(s.bytesPerEvent, whole),
      isUs ? '' : ratio(o?.bytesPerEvent?.median, s.bytesPerEvent?.median),
      spreadCell(s.idbPer1000, (v) => (v == null ? '–' : v.toFixed(1))),
    ];
  });
  return markdown(header, rows);
};

export const formatDurability = (results: BenchResults): string => {
  const cell = (d?: { tracked: number; delivered: number; duplicates: number; resent?: number }) =>
    d ? [`${d.delivered}/${d.tracked}`, `${d.duplicates}${d.resent ? ` (${d.resent} sent again)` : ''}`] : ['–', '–'];
  const rows = ran(results).map((sdk) => {
    const first = sdk.rounds.find((m) => m.unload || m.outage);
    return [sdk.name, sdk.receiver ?? '–', ...cell(first?.unload), ...cell(first?.outage)];
  });
  return markdown(['SDK', 'stored by', 'navigate away: delivered', 'duplicates stored', 'outage + reload: delivered', 'duplicates stored'], rows);
};

/** What the reader must know to read the tables right: the run's shape, caps and per-SDK caveats. */
export const formatNotes = (results: BenchResults): string[] => {
  const burst = results.burst.toLocaleString('en-US');
  const loads = results.loadavg.map((l, i) => `round ${i + 1} ${l.start[0]!.toFixed(2)} → ${l.end[0]!.toFixed(2)}`).join(', ');
  const notes = [
    `- ${results.rounds} interleaved round${results.rounds > 1 ? 's' : ''} (each in a rotated order); cells are the median (min–max) over the rounds. ` +
      `1-minute load average at the start and end of each round: ${loads || '–'} (${results.machine.cpus} cores).`,
    `- Slow SDKs get shorter runs: an SDK slower than ${SLOW_US} µs a call over its first ${COLD_CALLS.toLocaleString('en-US')} calls gets warm runs of ` +
      `${SLOW_CALLS.toLocaleString('en-US')} calls${results.burst > SLOW_CALLS ? ` instead of ${burst}` : ''}, and any run (cold or warm) stops after ${RUN_LIMIT_MS / 1000} s (marked *); ` +
      `the burst stops issuing after ${BURST_LIMIT_MS / 1000} s ("issued"), and delivery is awaited up to ${DELIVERY_LIMIT_MS / 1000} s.`,
  ];
  if (results.profiled) notes.push("- Profiled run (--profile): the main-thread figures include the CPU profiler's own cost.");
  for (const sdk of ran(results)) {
    if (sdk.chunks && Object.keys(sdk.chunks).length) {
      const chunks = Object.entries(sdk.chunks).map(([file, z]) => `${file} ${kb(z.minified)} KB minified, ${kb(z.gzip)} KB gzip, ${kb(z.brotli)} KB brotli`);
      notes.push(`- ${sdk.name}: sizes are of the script loaded first; loaded after start-up: ${chunks.join('; ')}`);
    }
    if (short(sdk, results.burst)) {
      const runs = sdk.rounds.map((m) => m.cost?.calls.join(', ') ?? '–').join(' | ');
      notes.push(`- ${sdk.name}: * warm runs of ${runs} calls (rounds separated by |)`);
    }
    const partial = sdk.rounds.filter((m) => m.cost && m.cost.coldCalls < COLD_CALLS);
    if (partial.length) notes.push(`- ${sdk.name}: cold figure over ${partial.map((m) => m.cost!.coldCalls).join(', ')} calls (the ${RUN_LIMIT_MS / 1000} s cap)`);
    const restless = sdk.rounds.filter((m) => m.delivery && !m.delivery.mainThread.idle).length;
    if (restless)
      notes.push(
        `- ${sdk.name}: the main thread never went quiet within ${IDLE_LIMIT_MS / 1000} s after delivery in ${restless} round(s): its main-thread and renderer CPU figures stop there`,
      );
    const undelivered = sdk.rounds.filter((m) => m.delivery && m.delivery.deliverMs == null).length;
    if (undelivered)
      notes.push(
        `- ${sdk.name}: not every issued event arrived within ${DELIVERY_LIMIT_MS / 1000} s in ${undelivered} round(s): its main-thread and renderer CPU figures cover only the work done by then`,
      );
    const estimated = sdk.rounds.reduce((n, m) => n + (m.delivery?.headersEstimated ?? 0), 0);
    if (estimated) notes.push(`- ${sdk.name}: ${estimated} request(s) never showed their raw headers; counted with the headers the page set (a lower bound)`);
    if (sdk.skipped) notes.push(`- ${sdk.name} did not run: ${sdk.skipped}`);
    for (const m of sdk.rounds) for (const e of m.errors) notes.push(`- ${sdk.name}, round ${m.round + 1}: ${e}`);
  }
  return notes;
};

export const formatIngest = (results: BenchResults): string | undefined => {
  if (!results.ingest) return undefined;
  return 'error' in results.ingest
    ? `Collector ingest rate: not measured (${results.ingest.error})`
    : `Collector ingest rate (npm run bench:ingest, load from a second process on loopback): ${results.ingest.eventsPerSecond} events/s — ${results.ingest.line}`;
};

/** Everything the console prints after a run. */
export const formatTable = (results: BenchResults): string =>
  [formatCost(results), formatDelivery(results), formatDurability(results), formatIngest(results), formatNotes(results).join('\n')].filter(Boolean).join('\n\n');

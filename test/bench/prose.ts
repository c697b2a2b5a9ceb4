// The sentences beside the tables that carry figures, written from the results file so that
// every claim follows from the run it sits next to: where each SDK's main-thread time goes
// (cookie and storage I/O per event), and what the machine's load did to the cookie round trip.
import type { BenchResults, SdkResult } from './run';
import { type Spread, summarise } from './summary';
import { num } from './table';

const summaryOf = (sdk: SdkResult) => sdk.summary ?? summarise(sdk.rounds);

/** One line per SDK measured: its document.cookie and Storage traffic per event (track() and its deferred work). */
const storageLines = (results: BenchResults): string[] =>
  results.sdks.flatMap((sdk) => {
    const s = summaryOf(sdk);
    if (!s.cookieReads || !s.storageReads) return [];
    const cookie = s.cookieReads.median + s.cookieWrites!.median;
    const storage = s.storageReads.median + s.storageWrites!.median;
    const parts = [
      cookie > 0 ? `${num(s.cookieReads.median)} document.cookie reads and ${num(s.cookieWrites!.median)} writes` : 'no document.cookie access',
      storage > 0 ? `${num(s.storageReads.median)} Storage reads and ${num(s.storageWrites!.median)} writes` : 'no Storage access',
    ];
    // Time measured inside the accessors, against the whole main-thread time per event.
    const inside = (us: Spread | undefined, what: string) =>
      us && s.mainThreadUs && us.median >= 1
        ? [`${num(us.median)} µs per event inside ${what} (${Math.round((100 * us.median) / s.mainThreadUs.median)} % of its main-thread time)`]
        : [];
    const spent = [...inside(s.cookieUs, 'document.cookie'), ...inside(s.storageUs, 'Storage calls')];
    const share = spent.length ? `; ${spent.join(', ')}` : '';
    // Whether the per-call cost grows as the SDK's queue fills: first and last warm run, by round.
    const drift = sdk.rounds.filter((m) => (m.cost?.runs.length ?? 0) >= 3).map((m) => `${num(m.cost!.runs[0])} → ${num(m.cost!.runs.at(-1))}`);
    const growth = drift.length ? `; warm track() µs from its first to its last run (${drift.length > 1 ? 'by round' : 'one round'}): ${drift.join(', ')}` : '';
    return [`- **${sdk.name}**: per event, ${parts.join(', ')}${share}${growth}.`];
  });

/** The cookie round trip on a busy machine, and which SDKs pay it in every call. */
const loadLines = (results: BenchResults): string[] => {
  const load = results.cookieLoad;
  const loadSlows = !!load && !('error' in load) && load.loadedUs > load.asIsUs * 1.2;
  const lines: string[] = [];
  if (load && !('error' in load)) {
    const times = (load.loadedUs / load.asIsUs).toFixed(1);
    const figures =
      `${num(load.asIsUs)} µs with the machine as it was and ${num(load.loadedUs)} µs with ${load.spinners} extra CPU-bound threads spinning ` +
      `(${results.machine.cpus} cores; medians of ${load.samples} alternated samples of 200)`;
    lines.push(
      loadSlows
        ? `- Reading document.cookie back after a write is a synchronous round trip from the page to the browser's network process, and ` +
            `it slows when the cores are busy: on a plain page in this run it took ${figures}, ${times}× as long.`
        : `- Reading document.cookie back after a write is a synchronous round trip from the page to the browser's network process. ` +
            `In this run the extra load made no clear difference to it: ${figures}.`,
    );
  }
  const names = results.sdks.filter((sdk) => (summaryOf(sdk).cookieReads?.median ?? 0) >= 1).map((sdk) => sdk.name);
  const ours = results.sdks.find((sdk) => sdk.name === 'shoptrail');
  const oursMeasured = !!ours && ours.rounds.some((m) => m.delivery);
  lines.push(
    names.length
      ? `- The SDKs reading document.cookie at least once per event in this run pay that round trip for every event: ${names.join(', ')}` +
          (oursMeasured
            ? names.includes('shoptrail')
              ? ' (Shoptrail among them).'
              : `; Shoptrail does not${loadSlows ? ', so a loaded machine slows them more than it slows Shoptrail' : ''}.`
            : '.')
      : '- No SDK measured in this run read document.cookie once or more per event.',
  );
  return lines;
};

export const formatFindings = (results: BenchResults): string[] => [...storageLines(results), ...loadLines(results)];

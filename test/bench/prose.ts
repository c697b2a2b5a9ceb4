// The sentences beside the tables that carry figures, written from the results file so that
// every claim follows from the run it sits next to: where each SDK's main-thread time goes
// (cookie and storage I/O per call), and what the machine's load did to the cookie round trip.
import type { BenchResults, SdkResult } from './run';
import { median, summarise } from './summary';
import { num } from './table';

const summaryOf = (sdk: SdkResult) => sdk.summary ?? summarise(sdk.rounds);

/** One line per SDK measured: its document.cookie and Storage traffic per track() call. */
const storageLines = (results: BenchResults): string[] =>
  results.sdks.flatMap((sdk) => {
    const s = summaryOf(sdk);
    if (!s.cookieReads || !s.storageReads) return [];
    const cookie = s.cookieReads.median + s.cookieWrites!.median;
    const storage = s.storageReads.median + s.storageWrites!.median;
    const parts = [
      cookie >= 0.05 ? `${num(s.cookieReads.median)} document.cookie reads and ${num(s.cookieWrites!.median)} writes` : 'no document.cookie access',
      storage >= 0.05 ? `${num(s.storageReads.median)} Storage reads and ${num(s.storageWrites!.median)} writes` : 'no localStorage access',
    ];
    // A write read back waits for the network process: that pair's time, once per write, is what
    // the cookie I/O costs at least (further reads may come from the renderer's cache).
    const writes = s.cookieWrites!.median;
    const cookieCost = s.cookieRoundTripUs && writes >= 0.05 ? writes * s.cookieRoundTripUs.median : undefined;
    const share =
      cookieCost != null && s.warmUs
        ? `; at ${num(s.cookieRoundTripUs!.median)} µs per cookie write read back on its page, its writes cost about ${num(cookieCost)} µs of its ${num(s.warmUs.median)} µs warm track()`
        : '';
    return [`- **${sdk.name}**: per track() call, ${parts.join(', ')}${share}.`];
  });

/** The cookie round trip against the load average, round by round. */
const loadLines = (results: BenchResults): string[] => {
  const byRound = results.loadavg.map((load, round) => {
    const reads = results.sdks.flatMap((sdk) => sdk.rounds.filter((m) => m.round === round && m.cost?.cookieRoundTripUs != null).map((m) => m.cost!.cookieRoundTripUs!));
    return { load: (load.start[0]! + load.end[0]!) / 2, us: reads.length ? median(reads) : undefined };
  });
  const measured = byRound.filter((r) => r.us != null);
  if (!measured.length) return [];
  const cookieEveryCall = results.sdks.filter((sdk) => {
    const s = summaryOf(sdk);
    return s.cookieReads && s.cookieReads.median + s.cookieWrites!.median >= 1;
  });
  const names = cookieEveryCall.map((sdk) => sdk.name);
  return [
    `- Reading document.cookie after a write is a synchronous round trip from the page to the browser's network process, so it ` +
      `slows when the machine's cores are busy. Median µs per cookie write and read, by round (1-minute load average on ${results.machine.cpus} cores): ` +
      `${measured.map((r, i) => `round ${i + 1}: ${num(r.us)} µs at ${r.load.toFixed(1)}`).join('; ')}.`,
    names.length
      ? `- The SDKs touching document.cookie at least once per call in this run — ${names.join(', ')} — pay that round trip in every track(); ` +
        `${names.includes('shoptrail') ? 'Shoptrail is among them' : 'Shoptrail does not'}, so on a loaded machine their figures above grow more than ours.`
      : '- No SDK touched document.cookie in every call in this run.',
  ];
};

export const formatFindings = (results: BenchResults): string[] => [...storageLines(results), ...loadLines(results)];

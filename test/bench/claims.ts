// The README's Performance claims, written from a results file like docs/benchmarks.md's tables,
// so that every sentence follows from the run of record, whichever way its figures fall:
// Shoptrail's main-thread time per event and its ratio to each peer's, the same for the renderer's
// CPU time on all threads (so work moved to a worker is not hidden), the cold and warm cost of
// track() against the fastest peer's, and the bytes each event costs on the wire.
import type { BenchResults, SdkResult } from './run';
import { type Spread, summarise } from './summary';
import { num } from './table';

type Pick = (s: ReturnType<typeof summarise>) => Spread | undefined;

const summaryOf = (sdk: SdkResult) => sdk.summary ?? summarise(sdk.rounds);
/** A peer's figure against ours: "6.46× Shoptrail's", or "0.50× Shoptrail's" where the peer does better. */
const times = (ours: number, theirs: number) => `${num(theirs / ours)}× Shoptrail's`;
const cell = (s: Spread) => (s.n > 1 && num(s.min) !== num(s.max) ? `${num(s.median)} (${num(s.min)}–${num(s.max)} over ${s.n} rounds)` : num(s.median));

/** The peers measured with a figure for `pick`, lowest median first. */
const ranked = (results: BenchResults, pick: Pick) =>
  results.sdks
    .filter((sdk) => sdk.name !== 'shoptrail' && !sdk.name.startsWith('shoptrail-') && pick(summaryOf(sdk)))
    .map((sdk) => ({ sdk, figure: pick(summaryOf(sdk))! }))
    .sort((a, b) => a.figure.median - b.figure.median);

export const formatClaims = (results: BenchResults): string[] => {
  const ours = results.sdks.find((sdk) => sdk.name === 'shoptrail');
  if (!ours) return ['- Shoptrail was not measured in this run.'];
  const o = summaryOf(ours);
  const lines: string[] = [];
  const compare = (label: string, unit: string, pick: Pick, what: string) => {
    const mine = pick(o);
    if (!mine) return;
    const peers = ranked(results, pick);
    const each = peers.map(({ sdk, figure }) => `${sdk.name} ${num(figure.median)} (${times(mine.median, figure.median)})`);
    lines.push(`- **${label}**: Shoptrail ${cell(mine)} ${unit}${each.length ? `; ${each.join(', ')}` : ''}. ${what}`);
  };
  compare(
    'Main-thread time per event',
    'µs',
    (s) => s.mainThreadUs,
    'All of it, not only the call: track() and the serialisation, storage, compression and delivery it defers, until the page is idle again.',
  );
  compare(
    'Renderer CPU per event, all threads',
    'µs',
    (s) => s.rendererCpuUs,
    "Every thread of the page's renderer: work moved off the main thread, to a worker or another of the renderer's threads, still counts here.",
  );
  const cold = o.coldUs;
  const fastest = ranked(results, (s) => s.coldUs)[0];
  if (cold && fastest) {
    const verdict = cold.median <= fastest.figure.median ? 'no slower than' : 'slower than';
    lines.push(
      `- **Cold track()**, the first 1,000 calls after load: Shoptrail ${cell(cold)} µs a call, ${verdict} the fastest peer, ${fastest.sdk.name} (${num(fastest.figure.median)} µs).`,
    );
  }
  compare('Warm track()', 'µs a call', (s) => s.warmUs, 'The synchronous cost once the JIT has warmed up.');
  compare('Bytes per event on the wire', 'B', (s) => s.bytesPerEvent, 'Request bodies and HTTP headers, with each SDK batching and compressing as it can.');
  return lines;
};

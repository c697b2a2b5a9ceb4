// The bench's one table (Markdown, so docs/benchmarks.md can quote it as printed), with Shoptrail/peer
// ratios, and the durability table. Reads only the results object.
import { BURST, DELIVERY_LIMIT_MS } from './measure';
import type { BenchResults, SdkResult } from './run';

const kb = (bytes?: number) => (bytes == null ? '–' : (bytes / 1024).toFixed(1));
const fixed = (value: number | null | undefined, digits: number) => (value == null ? '–' : value.toFixed(digits));
const ratio = (ours?: number | null, theirs?: number | null) =>
  ours == null || theirs == null || theirs === 0 ? '–' : `${ours / theirs < 0.1 ? (ours / theirs).toPrecision(2) : (ours / theirs).toFixed(2)}×`;

const perEvent = (sdk: SdkResult, what: 'requests' | 'bytes') => {
  const d = sdk.measured?.delivery;
  return d?.delivered ? d[what] / d.delivered : undefined;
};

const short = (sdk: SdkResult) => {
  const calls = sdk.measured?.trackUs?.calls;
  return !!calls && (calls.length < 5 || calls.some((n) => n < BURST));
};

const markdown = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

export const formatTable = (results: BenchResults): string => {
  const ours = results.sdks.find((s) => s.name === 'shoptrail');
  const header = [
    'SDK',
    'version',
    'min KB',
    'gzip KB',
    'br KB',
    'track() µs',
    'long tasks',
    'IDB tx/1k ev',
    'deliver 10k s',
    'req/ev',
    'B/ev',
    'gzip ratio',
    'track ratio',
    'deliver ratio',
    'B/ev ratio',
  ];
  const rows = results.sdks.map((sdk) => {
    const d = sdk.measured?.delivery;
    const deliverS = d?.ms != null ? d.ms / 1000 : null;
    const isUs = sdk === ours;
    const delivered = d ? (d.ms != null ? fixed(deliverS, 2) : `${d.delivered}/${BURST} in ${DELIVERY_LIMIT_MS / 1000}`) : '–';
    return [
      sdk.name,
      sdk.version,
      kb(sdk.sizes?.minified),
      kb(sdk.sizes?.gzip),
      kb(sdk.sizes?.brotli),
      `${fixed(sdk.measured?.trackUs?.median, 2)}${short(sdk) ? '*' : ''}`,
      d ? `${d.longtasks}${d.longtasks ? ` (max ${d.longestTaskMs} ms)` : ''}` : '–',
      d ? fixed(d.idbTransactionsPer1000, 1) : '–',
      delivered,
      fixed(perEvent(sdk, 'requests'), 3),
      fixed(perEvent(sdk, 'bytes'), 0),
      isUs ? '' : ratio(ours?.sizes?.gzip, sdk.sizes?.gzip),
      isUs ? '' : ratio(ours?.measured?.trackUs?.median, sdk.measured?.trackUs?.median),
      isUs ? '' : ratio(ours?.measured?.delivery?.ms, d?.ms),
      isUs ? '' : ratio(perEvent(ours!, 'bytes'), perEvent(sdk, 'bytes')),
    ];
  });
  const lines = [markdown(header, rows)];
  const notes = results.sdks.flatMap((sdk) => [
    ...(sdk.chunks && Object.keys(sdk.chunks).length
      ? [
          `- ${sdk.name}: sizes are of the script loaded first; loaded after start-up: ` +
            Object.entries(sdk.chunks)
              .map(([file, sizes]) => `${file} ${kb(sizes.minified)} KB minified, ${kb(sizes.gzip)} KB gzip, ${kb(sizes.brotli)} KB brotli`)
              .join('; '),
        ]
      : []),
    ...(short(sdk)
      ? [`- ${sdk.name}: * track() too slow for runs of ${BURST} calls in the time budget: runs of ${sdk.measured!.trackUs!.calls.join(', ')} calls`]
      : []),
    ...(sdk.measured?.delivery && sdk.measured.delivery.events < BURST
      ? [`- ${sdk.name}: the burst issued only ${sdk.measured.delivery.events} of ${BURST} events in 25 s`]
      : []),
    ...(sdk.skipped ? [`- ${sdk.name} did not run: ${sdk.skipped}`] : []),
    ...(sdk.measured?.errors ?? []).map((e) => `- ${sdk.name}: ${e}`),
  ]);
  if (results.ingest) {
    lines.push(
      'error' in results.ingest
        ? `\nCollector ingest rate: not measured (${results.ingest.error})`
        : `\nCollector ingest rate (npm run bench:ingest, load from a second process on loopback): ${results.ingest.eventsPerSecond} events/s — ${results.ingest.line}`,
    );
  }
  lines.push(`\n${formatDurability(results)}`);
  if (notes.length) lines.push(`\n${notes.join('\n')}`);
  return lines.join('\n');
};

export const formatDurability = (results: BenchResults): string => {
  const cell = (d?: { tracked: number; delivered: number; duplicates: number; resent?: number }) =>
    d ? [`${d.delivered}/${d.tracked}`, `${d.duplicates}${d.resent ? ` (${d.resent} sent again)` : ''}`] : ['–', '–'];
  const rows = results.sdks.map((sdk) => [sdk.name, sdk.receiver ?? '–', ...cell(sdk.measured?.unload), ...cell(sdk.measured?.outage)]);
  return markdown(['SDK', 'stored by', 'navigate away: delivered', 'duplicates stored', 'outage + reload: delivered', 'duplicates stored'], rows);
};

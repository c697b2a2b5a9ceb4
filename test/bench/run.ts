// `npm run bench`: Shoptrail and the peer SDKs side by side in one run, in Debian's Chromium.
// Builds dist/, installs the peers into test/bench/peers/ when missing, bundles each peer's
// "init + track", measures every SDK (see measure.ts) in interleaved rounds (each round in a
// rotated order, so no SDK always runs first or last), the collector's ingest rate, prints the
// tables (median and range over the rounds, Shoptrail/peer ratios, load averages) and writes
// test/bench/results/latest.json. Options (args.ts): --only=shoptrail,plausible, --rounds=N,
// --burst=N (fewer events for quick checks), --docs (rewrite docs/benchmarks.md's figures),
// --profile (a CPU profile of every burst: where the main-thread time goes), --baseline=dir (another
// Shoptrail build, e.g. a copy of main's dist/, measured in the same rounds as shoptrail-baseline).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../e2e/support/chromium';
import { parseArgs } from './args';
import { type CookieLoad, measureCookieLoad } from './cookie-load';
import { writeDocs } from './docs';
import { measureIngest, type Ingest } from './ingest-rate';
import { type Measured, measure } from './measure';
import { BENCH, bundlePeer, ensurePeers, PEERS, type Sizes, sizesOf } from './peers';
import { type Summary, summarise } from './summary';
import { formatTable } from './table';
import { demoTarget, peerTarget, startPages, type Target } from './targets';

export interface SdkResult {
  name: string;
  version: string;
  receiver?: string;
  sizes?: Sizes;
  /** Shoptrail: the chunks loaded after start-up (dist/shoptrail-*.js). */
  chunks?: Record<string, Sizes>;
  /** One entry per round this SDK ran in (durability scenarios in the first round only). */
  rounds: Measured[];
  /** Median and range over the rounds (derived from `rounds`, stored for readers of the file). */
  summary?: Summary;
  /** Why this SDK could not run at all. */
  skipped?: string;
}

export interface BenchResults {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; node: string; chromium: string };
  runtimeSeconds: number;
  /** Interleaved rounds, and events per burst / calls per warm run. */
  rounds: number;
  burst: number;
  /** The SDKs asked for with --only (absent: all). */
  only?: string[];
  /** Bursts were profiled: main-thread figures include the profiler's overhead. */
  profiled?: boolean;
  /** 1, 5 and 15-minute load averages at the start and end of each round. */
  loadavg: { start: number[]; end: number[] }[];
  sdks: SdkResult[];
  /** The cookie round trip with the machine as it is and with every core kept busy. */
  cookieLoad?: CookieLoad | { error: string };
  ingest?: Ingest | { error: string };
}

const ROOT = join(BENCH, '..', '..');
const started = Date.now();
const log = (line: string) => console.log(line);
const args = parseArgs(process.argv.slice(2));
const wanted = (name: string) => !args.only || args.only.includes(name) || (name === 'shoptrail-baseline' && !!args.baseline);

log('building dist/ …');
execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'inherit' });

const installFailures = ensurePeers(log);
const sdks: SdkResult[] = [];
const shoptrailVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
// The script a page loads first, and the chunks it loads from beside itself (whatever they are called).
const shoptrailBuild = (name: string, version: string, dir: string): SdkResult => ({
  name,
  version,
  sizes: sizesOf(readFileSync(join(dir, 'shoptrail.js'))),
  rounds: [],
  chunks: Object.fromEntries(
    readdirSync(dir)
      .filter((file) => /^shoptrail-[\w-]+\.js$/.test(file))
      .sort()
      .map((file) => [file, sizesOf(readFileSync(join(dir, file)))]),
  ),
});
sdks.push(shoptrailBuild('shoptrail', shoptrailVersion, join(ROOT, 'dist')));

// Another build of Shoptrail (--baseline=dir), measured in the same rounds: before and after a change.
if (args.baseline) sdks.push(shoptrailBuild('shoptrail-baseline', args.baseline, args.baseline));

const bundles = new Map<string, string>();
for (const peer of PEERS) {
  if (!wanted(peer.name)) continue;
  const result: SdkResult = { name: peer.name, version: peer.version, rounds: [] };
  sdks.push(result);
  const failure = installFailures.get(peer.name);
  if (failure) {
    result.skipped = failure;
    continue;
  }
  try {
    const { file, sizes } = await bundlePeer(peer.name);
    bundles.set(peer.name, file);
    result.sizes = sizes;
  } catch (error) {
    result.skipped = `esbuild could not bundle it: ${String((error as Error).message).split('\n')[0]}`;
  }
}

// Shoptrail delivers to the real demo collector; the peers to local sinks.
const pages = await startPages(bundles);
let chromiumVersion = '';
const measured = sdks.filter((sdk) => !sdk.skipped && wanted(sdk.name));
const loads: BenchResults['loadavg'] = [];
for (let round = 0; round < args.rounds; round++) {
  // Round-robin: round r starts with the r-th SDK, so each takes every place in turn.
  const order = measured.map((_, i) => measured[(i + round) % measured.length]!);
  const start = loadavg().map((l) => Number(l.toFixed(2)));
  log(`round ${round + 1}/${args.rounds} (load average ${start.join(' ')}): ${order.map((s) => s.name).join(', ')}`);
  const browser = await launchChromium();
  chromiumVersion = browser.version();
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromiumVersion} Safari/537.36`;
  for (const [place, sdk] of order.entries()) {
    log(`${sdk.name} ${sdk.version}`);
    let target: Target | undefined;
    try {
      if (sdk.name === 'shoptrail') target = await demoTarget();
      else if (sdk.name === 'shoptrail-baseline') target = await demoTarget(args.baseline);
      else target = await peerTarget(sdk.name, pages.url);
      sdk.receiver = target.receiver;
      const profileDir = args.profile ? join(BENCH, 'results', 'profiles') : undefined;
      const options = { burst: args.burst, durability: round === 0, round, order: place, profileDir };
      const result = await measure(browser, target, userAgent, log, options);
      sdk.rounds.push(result);
      for (const error of result.errors) log(`  ! ${error}`);
    } catch (error) {
      sdk.rounds.push({ round, order: place, loadavg: loadavg()[0]!, errors: [`could not run: ${String((error as Error).message).split('\n')[0]}`] });
      log(`  ! could not run: ${String((error as Error).message).split('\n')[0]}`);
    } finally {
      await target?.close().catch(() => {});
    }
  }
  await browser.close();
  loads.push({ start, end: loadavg().map((l) => Number(l.toFixed(2))) });
}
// After the rounds, so that the spinning threads never overlap a measurement.
let cookieLoad: BenchResults['cookieLoad'];
{
  log('cookie round trip, as is and with every core busy …');
  const browser = await launchChromium();
  try {
    cookieLoad = await measureCookieLoad(browser, `${pages.url}/blank.html`);
    log(`  ${cookieLoad.asIsUs.toFixed(0)} µs as is, ${cookieLoad.loadedUs.toFixed(0)} µs with ${cookieLoad.spinners} spinning threads`);
  } catch (error) {
    cookieLoad = { error: String((error as Error).message).split('\n')[0]! };
    log(`  ! ${cookieLoad.error}`);
  } finally {
    await browser.close();
  }
}
await pages.close();
for (const sdk of sdks) if (sdk.rounds.length) sdk.summary = summarise(sdk.rounds);

let ingest: BenchResults['ingest'];
if (wanted('ingest')) {
  log('collector ingest rate …');
  try {
    ingest = await measureIngest(log);
  } catch (error) {
    ingest = { error: String((error as Error).message).split('\n')[0]! };
    log(`  ! ${ingest.error}`);
  }
}

const results: BenchResults = {
  date: new Date().toISOString(),
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    chromium: chromiumVersion,
  },
  runtimeSeconds: Math.round((Date.now() - started) / 1000),
  rounds: args.rounds,
  burst: args.burst,
  ...(args.only ? { only: args.only } : {}),
  ...(args.profile ? { profiled: true } : {}),
  loadavg: loads,
  sdks,
  cookieLoad,
  ingest,
};
mkdirSync(join(BENCH, 'results'), { recursive: true });
writeFileSync(join(BENCH, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${formatTable(results)}`);
console.log(`\nwritten test/bench/results/latest.json (${results.runtimeSeconds} s)`);
if (args.docs) console.log(`rewrote the generated block of ${writeDocs(results)}`);

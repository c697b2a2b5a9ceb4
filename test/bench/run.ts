// `npm run bench`: Shoptrail and the peer SDKs side by side in one run, in Debian's Chromium.
// Builds dist/, installs the peers into test/bench/peers/ when missing, bundles each peer's
// "init + track", measures every SDK (see measure.ts), the collector's ingest rate, prints one
// table with Shoptrail/peer ratios and writes test/bench/results/latest.json.
// `npm run bench -- --only=shoptrail,plausible` limits the SDKs measured.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../e2e/support/chromium';
import { measureIngest, type Ingest } from './ingest-rate';
import { type Measured, measure } from './measure';
import { BENCH, bundlePeer, ensurePeers, PEERS, type Sizes, sizesOf } from './peers';
import { formatTable } from './table';
import { demoTarget, peerTarget, startPages, type Target } from './targets';

export interface SdkResult {
  name: string;
  version: string;
  receiver?: string;
  sizes?: Sizes;
  /** Shoptrail: the chunks loaded after start-up (dist/shoptrail-background.js, dist/shoptrail-capture.js). */
  chunks?: Record<string, Sizes>;
  measured?: Measured;
  /** Why this SDK could not run at all. */
  skipped?: string;
}

export interface BenchResults {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; node: string; chromium: string };
  runtimeSeconds: number;
  sdks: SdkResult[];
  ingest?: Ingest | { error: string };
}

const ROOT = join(BENCH, '..', '..');
const started = Date.now();
const log = (line: string) => console.log(line);
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (name: string) => !only || only.includes(name);

log('building dist/ …');
execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'inherit' });

const installFailures = ensurePeers(log);
const sdks: SdkResult[] = [];
const shoptrailVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const chunkFiles = ['shoptrail-background.js', 'shoptrail-capture.js'].filter((file) => existsSync(join(ROOT, 'dist', file)));
sdks.push({
  name: 'shoptrail',
  version: shoptrailVersion,
  sizes: sizesOf(readFileSync(join(ROOT, 'dist', 'shoptrail.js'))),
  chunks: Object.fromEntries(chunkFiles.map((file) => [file, sizesOf(readFileSync(join(ROOT, 'dist', file)))])),
});

const bundles = new Map<string, string>();
for (const peer of PEERS) {
  if (!wanted(peer.name)) continue;
  const result: SdkResult = { name: peer.name, version: peer.version };
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
const browser = await launchChromium();
const chromiumVersion = browser.version();
const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromiumVersion} Safari/537.36`;

for (const sdk of sdks) {
  if (sdk.skipped || !wanted(sdk.name)) continue;
  log(`${sdk.name} ${sdk.version}`);
  let target: Target | undefined;
  try {
    if (sdk.name === 'shoptrail') target = await demoTarget();
    else target = await peerTarget(sdk.name, pages.url);
    sdk.receiver = target.receiver;
    sdk.measured = await measure(browser, target, userAgent, log);
    for (const error of sdk.measured.errors) log(`  ! ${error}`);
  } catch (error) {
    sdk.skipped = `could not run: ${String((error as Error).message).split('\n')[0]}`;
    log(`  ! ${sdk.skipped}`);
  } finally {
    await target?.close().catch(() => {});
  }
}
await browser.close();
await pages.close();

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
  command: 'npm run bench',
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    chromium: chromiumVersion,
  },
  runtimeSeconds: Math.round((Date.now() - started) / 1000),
  sdks,
  ingest,
};
mkdirSync(join(BENCH, 'results'), { recursive: true });
writeFileSync(join(BENCH, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${formatTable(results)}`);
console.log(`\nwritten test/bench/results/latest.json (${results.runtimeSeconds} s)`);

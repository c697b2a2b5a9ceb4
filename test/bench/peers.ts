// The peer SDKs: installed on demand into test/bench/peers/ (git-ignored, its own
// package.json), never as dependencies of the product, then bundled "init + track" with
// esbuild like a store's build would, and measured minified, gzip -9 and brotli.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

export const BENCH = import.meta.dirname;
export const PEERS_DIR = join(BENCH, 'peers');
export const OUT_DIR = join(BENCH, 'results', 'bundles');

export interface Peer {
  name: string;
  /** npm package and the version pinned for repeatable figures. */
  pkg: string;
  version: string;
}

// Pinned: the registry here lacks a dependency of @amplitude/analytics-browser ≥ 2.47.1
// (@amplitude/plugin-custom-enrichment-browser 0.1.26+), so 2.47.0 is the newest that installs.
export const PEERS: Peer[] = [
  { name: 'posthog', pkg: 'posthog-js', version: '1.449.2' },
  { name: 'segment', pkg: '@segment/analytics-next', version: '1.84.3' },
  { name: 'snowplow', pkg: '@snowplow/browser-tracker', version: '4.10.1' },
  { name: 'amplitude', pkg: '@amplitude/analytics-browser', version: '2.47.0' },
  { name: 'rudderstack', pkg: '@rudderstack/analytics-js', version: '3.34.1' },
  { name: 'plausible', pkg: 'plausible-tracker', version: '0.3.9' },
];

const installedVersion = (pkg: string): string | undefined => {
  const file = join(PEERS_DIR, 'node_modules', pkg, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
};

/** Install the peers that are missing (or at another version). Returns why any failed. */
export const ensurePeers = (log: (line: string) => void): Map<string, string> => {
  const failures = new Map<string, string>();
  const missing = PEERS.filter((peer) => installedVersion(peer.pkg) !== peer.version);
  if (missing.length === 0) return failures;
  mkdirSync(PEERS_DIR, { recursive: true });
  const manifest = join(PEERS_DIR, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'shoptrail-bench-peers', private: true }, null, 2));
  const npm = (specs: string[]) =>
    execFileSync('npm', ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--save-exact', ...specs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  log(`installing peers into test/bench/peers: ${missing.map((p) => `${p.pkg}@${p.version}`).join(' ')}`);
  try {
    npm(missing.map((p) => `${p.pkg}@${p.version}`));
  } catch {
    // One bad package fails the whole install: retry one by one to keep the others.
    for (const peer of missing) {
      try {
        npm([`${peer.pkg}@${peer.version}`]);
      } catch (error) {
        const text = String((error as { stderr?: string }).stderr ?? error);
        failures.set(peer.name, `npm install failed: ${text.split('\n').find((l) => /error/.test(l)) ?? text.slice(0, 200)}`);
      }
    }
  }
  return failures;
};

export interface Sizes {
  minified: number;
  gzip: number;
  brotli: number;
}

export const sizesOf = (code: Buffer): Sizes => ({
  minified: code.length,
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** Bundle a peer's entry (test/bench/entries/<name>.ts) as a minified IIFE; returns its file. */
export const bundlePeer = async (name: string): Promise<{ file: string; sizes: Sizes }> => {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}.js`);
  await esbuild.build({
    entryPoints: [join(BENCH, 'entries', `${name}.ts`)],
    outfile: file,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    nodePaths: [join(PEERS_DIR, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    legalComments: 'none',
    logLevel: 'silent',
  });
  return { file, sizes: sizesOf(readFileSync(file)) };
};

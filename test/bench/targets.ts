// Where each SDK under test lives: a page that loads it, the place its events land, and how to
// cut that place off (the outage scenario). Peers send to their own local sink; Shoptrail sends
// to the real demo collector (demo/server.ts) when it exists, else to a sink of its own.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/collector/keys';
import { DEMO_CONFIG, startDemo } from '../../demo/server';
import { clearFaults, setFaults } from '../e2e/support/chaos';
import { type Sink, startSink } from './sink';

export interface Target {
  name: string;
  /** Page that loads the SDK; `next` marks the page loaded after navigating away. */
  pageUrl: (next?: boolean) => string;
  /** Endpoint given to the page's init script. */
  endpoint: string;
  /** Origin whose requests count as delivery traffic. */
  wireOrigin: string;
  /** Distinct bench events stored in [from, to), and extra copies stored. */
  delivered: (from: number, to: number) => Promise<{ delivered: number; duplicates: number }>;
  outage: (on: boolean) => Promise<void>;
  /** What stores the events: "local sink" or "demo collector". */
  receiver: string;
  close: () => Promise<void>;
}

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const shoptrailGlue = `<script>
window.benchSdk = {
  ready: new Promise(function (resolve) {
    (function poll() { window.shoptrail && window.shoptrail.loaded ? resolve() : setTimeout(poll, 5); })();
  }),
  track: function (n) { window.shoptrail.track('custom-event', { name: 'bench', properties: { bench_n: n } }); }
};
</script>`;

// Guards in observe mode: the rate limit (custom events: 20 at once, then 60 a minute) and the
// session cap (500) would drop most of a 10,000-event burst; they still run in track(). Automation
// allowed: the benchmarks drive Chromium (navigator.webdriver), where the tracker otherwise sends nothing.
const shoptrailTag = (src: string, endpoint: string, writeKey: string, entity: string) =>
  `<script async src="${src}" data-endpoint="${endpoint}" data-write-key="${writeKey}" data-entity="${entity}" data-guard-mode="observe" data-allow-automation></script>`;

const html = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body><h1>bench</h1>${body}</body></html>`;

/** A static server for the peers' pages and bundles (one origin for all peers). */
export const startPages = async (bundles: Map<string, string>) => {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const page = /^\/(\w+)\.html$/.exec(path);
    const script = /^\/bundles\/(\w+)\.js$/.exec(path);
    if (path === '/blank.html') {
      // A page without an SDK (the cookie round trip under load, cookie-load.ts).
      res.setHeader('Content-Type', 'text/html');
      res.end(html(''));
    } else if (page && bundles.has(page[1]!)) {
      res.setHeader('Content-Type', 'text/html');
      res.end(html(`<script src="/bundles/${page[1]}.js"></script>`));
    } else if (script && bundles.has(script[1]!)) {
      res.setHeader('Content-Type', 'text/javascript');
      res.end(readFileSync(bundles.get(script[1]!)!));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const url = await listen(server);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const sinkTarget = (name: string, sink: Sink, pagesUrl: string): Target => ({
  name,
  pageUrl: (next) => `${pagesUrl}/${name}.html${next ? '?next=1' : ''}`,
  endpoint: sink.url,
  wireOrigin: sink.url,
  delivered: async (from, to) => sink.range(from, to),
  outage: async (on) => sink.outage(on),
  receiver: 'local sink',
  close: () => sink.close(),
});

export const peerTarget = async (name: string, pagesUrl: string): Promise<Target> => sinkTarget(name, await startSink(name), pagesUrl);

/**
 * Shoptrail on the demo storefront, delivering to the real demo collector (fault injection on).
 * With `baseline`, the tracker comes from another build (a folder holding shoptrail.js and its
 * chunks, e.g. a copy of main's dist/), served beside the page, so that two builds can be
 * measured in the same run.
 */
export const demoTarget = async (baseline?: string): Promise<Target> => {
  // The bench sends ~60,000 events; the demo allowance (50,000) is not what is measured here.
  const config = loadConfig(DEMO_CONFIG);
  for (const entity of config.entities) entity.allowance = 1e9;
  const extraRoot = mkdtempSync(join(tmpdir(), 'shoptrail-bench-'));
  let src = '/shoptrail.js';
  if (baseline) {
    mkdirSync(join(extraRoot, 'baseline'));
    for (const file of readdirSync(baseline).filter((f) => /^shoptrail[\w-]*\.js$/.test(f))) copyFileSync(join(baseline, file), join(extraRoot, 'baseline', file));
    src = '/test/baseline/shoptrail.js';
  }
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
${shoptrailTag(src, '{{collectorUrl}}', '{{writeKey}}', '{{entity}}')}
</head><body><h1>bench</h1>${shoptrailGlue}</body></html>`;
  writeFileSync(join(extraRoot, 'bench.html'), page);
  const dbPath = join(extraRoot, 'bench.db');
  const demo = await startDemo({ port: 0, dbPath, faults: true, quiet: true, extraRoot, config });
  return {
    name: baseline ? 'shoptrail-baseline' : 'shoptrail',
    pageUrl: (next) => `${demo.storeUrl}/test/bench.html${next ? '?next=1' : ''}`,
    endpoint: demo.collectorUrl,
    wireOrigin: new URL(demo.collectorUrl).origin,
    delivered: async (from, to) => {
      const db = new Database(demo.dbPath, { readonly: true, fileMustExist: true });
      try {
        // Stored rows are unique by id; a duplicate is the same bench event stored twice.
        const row = db
          .prepare(
            `SELECT count(*) AS rows, count(DISTINCT n) AS distinct_n FROM (
               SELECT json_extract(envelope, '$.body.properties.bench_n') AS n FROM events WHERE type = 'custom-event'
             ) WHERE n >= ? AND n < ?`,
          )
          .get(from, to) as { rows: number; distinct_n: number };
        return { delivered: row.distinct_n, duplicates: row.rows - row.distinct_n };
      } finally {
        db.close();
      }
    },
    outage: (on) => (on ? setFaults(demo, { status: 503, forMs: 10 * 60_000 }) : clearFaults(demo)),
    receiver: 'demo collector',
    close: () => demo.close(),
  };
};

// The measurements made in Chromium for one SDK: track() cost, a 10,000-event burst delivered
// end to end (time, requests and bytes per event, long tasks, IndexedDB transactions), and the
// two durability scenarios (navigate away right after tracking; collector outage + reload).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { burst, costSoFar, initScript, probeSince, trackCost, trackMany, whenReady } from './page';
import { benchNumbers, decodeBody } from './sink';
import type { Target } from './targets';

export interface Delivery {
  /** Events issued: fewer than the burst when track() was too slow to make them all in time. */
  events: number;
  delivered: number;
  duplicates: number;
  /** Time from the first track() call until the last event was stored; null if not all were. */
  ms: number | null;
  requests: number;
  bytes: number;
  longtasks: number;
  longestTaskMs: number;
  longtaskTotalMs: number;
  idbTransactionsPer1000: number;
}

export interface Durability {
  tracked: number;
  delivered: number;
  /** Extra copies stored by the receiver. */
  duplicates: number;
  /** Extra copies the browser sent (a receiver that deduplicates by id stores them once). */
  resent?: number;
  note?: string;
}

export interface Measured {
  trackUs?: { median: number; runs: number[]; calls: number[] };
  delivery?: Delivery;
  unload?: Durability;
  outage?: Durability;
  errors: string[];
}

export const BURST = 10_000;
/** How long a burst may take to arrive before the bench moves on (and reports what arrived). */
export const DELIVERY_LIMIT_MS = 45_000;
/** How long the burst may take to be issued (a slow track() cannot make 10,000 calls in time). */
const BURST_LIMIT_MS = 25_000;
const DURABLE = 200;
const BASE = { burst: 0, unload: 100_000, outage: 200_000, cost: 1_000_000 };

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Poll `fn` until `done` says so or the deadline passes; returns the last value. */
const pollUntil = async <T>(fn: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let value = await fn();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await fn();
  }
  return value;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const isDataRequest = (url: URL): boolean => !/settings$|sourceConfig|\/decide|\/flags|\.js$|\.html$/.test(url.pathname);

/** A fresh context (empty storage) with the probes, and counters of delivery traffic. */
const open = async (browser: Browser, target: Target, userAgent: string) => {
  const context = await browser.newContext({ userAgent });
  await context.addInitScript({ content: 'window.__name = (f) => f;' }); // tsx's keepNames helper
  await context.addInitScript(initScript, { endpoint: target.endpoint });
  const wire = { requests: 0, bytes: 0, sent: new Map<number, number>(), parse: false };
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== target.wireOrigin || !isDataRequest(url) || request.method() === 'OPTIONS') return;
    const body = request.postDataBuffer();
    wire.requests += 1;
    wire.bytes += (body?.length ?? 0) + (request.method() === 'GET' ? url.search.length : 0);
    if (!wire.parse) return;
    const text = request.method() === 'GET' ? url.search.slice(1) : body ? decodeBody(body) : '';
    for (const n of benchNumbers(text)) wire.sent.set(n, (wire.sent.get(n) ?? 0) + 1);
  });
  const page = await context.newPage();
  return { context, page, wire };
};

const load = async (page: Page, url: string) => {
  await page.goto(url, { waitUntil: 'load' });
  if (!(await page.evaluate(whenReady, 15_000))) throw new Error('the SDK did not become ready within 15 s');
};

/** One scenario in its own context, bounded in time; a failure is recorded, not thrown. */
const step = async (errors: string[], label: string, context: BrowserContext, limitMs: number, fn: () => Promise<void>, salvage?: () => Promise<void>) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`gave up after ${limitMs / 1000} s`)), limitMs);
      }),
    ]);
  } catch (error) {
    errors.push(`${label}: ${String((error as Error).message ?? error).split('\n')[0]}`);
    await Promise.race([salvage?.().catch(() => {}), pause(10_000)]);
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => {});
  }
};

export const measure = async (browser: Browser, target: Target, userAgent: string, log: (line: string) => void): Promise<Measured> => {
  const result: Measured = { errors: [] };

  // 1. Synchronous cost of track(): 5 runs of 10,000 calls after a warm-up.
  const cost = await open(browser, target, userAgent);
  await step(
    result.errors,
    'track cost',
    cost.context,
    75_000,
    async () => {
      await load(cost.page, target.pageUrl());
      const { perCall: runs, calls } = await cost.page.evaluate(trackCost, [5, BURST, BASE.cost, 250, 8000] as [number, number, number, number, number]);
      result.trackUs = { median: median(runs), runs, calls };
      log(`  track(): ${result.trackUs.median.toFixed(2)} µs per call (runs ${runs.map((r, i) => `${r.toFixed(2)}/${calls[i]}`).join(', ')} µs/calls)`);
    },
    async () => {
      const partial = await cost.page.evaluate(costSoFar);
      if (partial?.perCall.length) {
        result.trackUs = { median: median(partial.perCall), runs: partial.perCall, calls: partial.calls };
        log(`  track(): ${result.trackUs.median.toFixed(2)} µs per call from the ${partial.perCall.length} runs finished in time`);
      } else if (partial?.warmUpUs) {
        // Not one run finished: the warm-up's 1,000 calls are the only figure there is.
        result.trackUs = { median: partial.warmUpUs, runs: [partial.warmUpUs], calls: [1000] };
        log(`  track(): ${partial.warmUpUs.toFixed(2)} µs per call in the warm-up only`);
      }
    },
  );

  // 2. A burst of 10,000 events delivered end to end.
  const run = await open(browser, target, userAgent);
  await step(result.errors, 'delivery', run.context, DELIVERY_LIMIT_MS + 30_000, async () => {
    await load(run.page, target.pageUrl());
    const idbBefore = (await run.page.evaluate(probeSince, 0)).idbTransactions;
    run.wire.requests = 0;
    run.wire.bytes = 0;
    const t0 = Date.now();
    const [start, issued] = await run.page.evaluate(burst, [BURST, 100, BASE.burst, BURST_LIMIT_MS] as [number, number, number, number]);
    const left = Math.max(5000, DELIVERY_LIMIT_MS - (Date.now() - t0));
    const stored = await pollUntil(
      () => target.delivered(BASE.burst, BASE.burst + BURST),
      (s) => s.delivered >= issued,
      left,
      100,
    );
    const ms = stored.delivered >= BURST ? Date.now() - t0 : null;
    const probe = await run.page.evaluate(probeSince, start);
    result.delivery = {
      events: issued,
      delivered: stored.delivered,
      duplicates: stored.duplicates,
      ms,
      requests: run.wire.requests,
      bytes: run.wire.bytes,
      longtasks: probe.longtasks,
      longestTaskMs: probe.longestMs,
      longtaskTotalMs: probe.totalMs,
      idbTransactionsPer1000: ((probe.idbTransactions - idbBefore) * 1000) / BURST,
    };
    const d = result.delivery;
    log(
      `  delivery: ${d.delivered}/${issued} issued in ${ms ?? `>${DELIVERY_LIMIT_MS}`} ms, ${d.requests} requests, ${d.bytes} B, ${d.longtasks} long tasks, ${d.idbTransactionsPer1000} IDB tx/1000`,
    );
  });

  // 3a. Durability: 200 events tracked, then navigating away at once.
  const away = await open(browser, target, userAgent);
  await step(result.errors, 'unload', away.context, 45_000, async () => {
    away.wire.parse = true;
    await load(away.page, target.pageUrl());
    await away.page.evaluate(trackMany, [DURABLE, BASE.unload] as [number, number]);
    await load(away.page, target.pageUrl(true));
    const range = () => target.delivered(BASE.unload, BASE.unload + DURABLE);
    await pollUntil(range, (s) => s.delivered >= DURABLE, 8_000);
    await pause(2000); // late copies (retries of what was already stored) count as duplicates
    let resent = 0;
    for (const [n, copies] of away.wire.sent) if (n >= BASE.unload && n < BASE.unload + DURABLE) resent += copies - 1;
    result.unload = { tracked: DURABLE, ...(await range()), resent };
    log(`  unload: ${result.unload.delivered}/${DURABLE} delivered, ${result.unload.duplicates} duplicates stored, ${resent} sent again`);
  });

  // 3b. Durability: the collector answers 503 while events are tracked; reload; recovery.
  const down = await open(browser, target, userAgent);
  await step(result.errors, 'outage', down.context, 60_000, async () => {
    await target.outage(true);
    try {
      await load(down.page, target.pageUrl());
      for (let slice = 0; slice < 4; slice++) {
        await down.page.evaluate(trackMany, [DURABLE / 4, BASE.outage + (slice * DURABLE) / 4] as [number, number]);
        await pause(250);
      }
      await pause(3000); // the SDK tries, and meets the outage
      await down.page.reload({ waitUntil: 'load' });
      if (!(await down.page.evaluate(whenReady, 15_000))) throw new Error('the SDK did not become ready after the reload');
    } finally {
      await target.outage(false);
    }
    const range = () => target.delivered(BASE.outage, BASE.outage + DURABLE);
    await pollUntil(range, (s) => s.delivered >= DURABLE, 15_000);
    await pause(2000);
    result.outage = { tracked: DURABLE, ...(await range()), note: 'within 15 s of recovery' };
    log(`  outage: ${result.outage.delivered}/${DURABLE} delivered, ${result.outage.duplicates} duplicates`);
  });
  return result;
};

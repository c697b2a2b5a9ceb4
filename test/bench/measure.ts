// The measurements made in Chromium for one SDK in one round: track() cost (cold and warm), a
// burst delivered end to end (main-thread time per event including deferred work, split into time
// on a core and time waiting for one, the renderer's CPU time per event on all its threads, cookie and
// storage accesses per event, issue and delivery times, requests and bytes per event with
// headers, long tasks, IndexedDB transactions), and the two durability scenarios (navigate away
// right after tracking; collector outage + reload).
import { loadavg } from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { headCounter } from './headers';
import { type MainThread, openMeter, type RendererCpu } from './mainthread';
import { accesses, burst, COST_REPORT, cookieRoundTripUs, type CostSoFar, initScript, probeSince, trackCost, trackMany, whenReady } from './page';
import { type ProfileSummary, startProfile } from './profile';
import type { MainThreadSched } from './schedstat';
import { benchNumbers, decodeBody } from './sink';
import { median } from './summary';
import type { Target } from './targets';

export interface Cost {
  /** µs per call over the first calls after load (1,000, or fewer if they took over 8 s). */
  coldUs: number;
  coldCalls: number;
  /** Median µs per call of the warm runs, each run's figure and its number of calls. */
  warmUs?: number;
  runs: number[];
  calls: number[];
}

export interface Delivery {
  /** Events issued: fewer than the burst when track() was too slow to make them all in time. */
  events: number;
  /** Time to issue them (the caller's loop, 100 calls per task). */
  issueMs: number;
  delivered: number;
  duplicates: number;
  /** From the last call issued until every issued event was stored; null if not all were. */
  deliverMs: number | null;
  requests: number;
  /** Request bodies (plus query strings) and request heads (request line and headers). */
  bodyBytes: number;
  headerBytes: number;
  /** Requests whose raw headers never came (counted with the page's headers only). */
  headersEstimated: number;
  longtasks: number;
  longestTaskMs: number;
  longtaskTotalMs: number;
  idbTransactionsPer1000: number;
  /** Main-thread tasks from the burst's first call until the page was idle with the queue drained. */
  mainThread: MainThread;
  /** mainThread.taskMs per issued event, in µs. */
  mainThreadUsPerEvent: number;
  /** The renderers' main threads on a core and waiting for one over the same window; absent without Linux's /proc, or in older results. */
  mainThreadSched?: MainThreadSched;
  /** mainThreadSched.cpuMs and .waitMs per issued event, in µs. */
  mainThreadCpuUsPerEvent?: number;
  mainThreadWaitUsPerEvent?: number;
  /** The renderers' CPU time on every thread (workers too) over the same window; absent in results from before it was measured. */
  rendererCpu?: RendererCpu;
  /** rendererCpu.cpuMs per issued event, in µs. */
  rendererCpuUsPerEvent?: number;
  /** document.cookie and Storage accesses per issued event, deferred work included. */
  perEvent: { cookieReads: number; cookieWrites: number; storageReads: number; storageWrites: number; cookieUs: number; storageUs: number };
  /** µs per document.cookie write read back on this page, measured once it was idle again. */
  cookieRoundTripUs: number;
  /** With --profile: where that time went (the profiler's own cost is in mainThread too). */
  profile?: ProfileSummary;
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
  /** 0-based round, and this SDK's place in the round's order. */
  round: number;
  order: number;
  /** 1-minute load average when this SDK's round started. */
  loadavg: number;
  cost?: Cost;
  delivery?: Delivery;
  unload?: Durability;
  outage?: Durability;
  errors: string[];
}

export interface MeasureOptions {
  /** Events in the burst, and calls per warm track() run. */
  burst: number;
  /** Run the two durability scenarios (once per SDK is enough: they count, they do not time). */
  durability: boolean;
  round: number;
  order: number;
  /** Write a CPU profile of each burst to this folder (and summarise it). */
  profileDir?: string;
}

export const BURST = 10_000;
export const COLD_CALLS = 1000;
export const WARM_RUNS = 5;
/** An SDK slower than this per call in its cold calls gets warm runs of SLOW_CALLS calls… */
export const SLOW_US = 250;
export const SLOW_CALLS = 2000;
/** …and any run stops after this long. */
export const RUN_LIMIT_MS = 8000;
/** How long a burst may take to arrive before the bench moves on (and reports what arrived). */
export const DELIVERY_LIMIT_MS = 45_000;
/** How long the burst may take to be issued (a slow track() cannot make 10,000 calls in time). */
export const BURST_LIMIT_MS = 25_000;
/** How long the page may take to go quiet after the burst is delivered. */
export const IDLE_LIMIT_MS = 10_000;
const DURABLE = 200;
const BASE = { burst: 0, unload: 100_000, outage: 200_000, cost: 1_000_000 };

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
  const wire = { requests: 0, bytes: 0, heads: headCounter(), count: false, sent: new Map<number, number>(), parse: false };
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== target.wireOrigin || !isDataRequest(url) || request.method() === 'OPTIONS') return;
    const body = request.postDataBuffer();
    if (wire.count) {
      wire.requests += 1;
      wire.bytes += (body?.length ?? 0) + (request.method() === 'GET' ? url.search.length : 0);
      wire.heads.add(request);
    }
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

export const measure = async (browser: Browser, target: Target, userAgent: string, log: (line: string) => void, options: MeasureOptions): Promise<Measured> => {
  const result: Measured = { round: options.round, order: options.order, loadavg: loadavg()[0]!, errors: [] };
  const calls = options.burst;

  // 1. Synchronous cost of track(): the first 1,000 calls after load (cold), then warm runs.
  const cost = await open(browser, target, userAgent);
  let partial: CostSoFar | undefined;
  cost.page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(COST_REPORT)) partial = JSON.parse(text.slice(COST_REPORT.length)) as CostSoFar;
  });
  await step(
    result.errors,
    'track cost',
    cost.context,
    75_000,
    async () => {
      await load(cost.page, target.pageUrl());
      const args: [number, number, number, number, number, number] = [WARM_RUNS, calls, BASE.cost, SLOW_US, SLOW_CALLS, RUN_LIMIT_MS];
      const runs = await cost.page.evaluate(trackCost, args);
      result.cost = {
        coldUs: runs.coldUs,
        coldCalls: runs.coldCalls,
        warmUs: median(runs.perCall),
        runs: runs.perCall,
        calls: runs.calls,
      };
      const c = result.cost;
      log(
        `  track(): cold ${c.coldUs.toFixed(2)} µs/call (${c.coldCalls} calls), warm ${c.warmUs!.toFixed(2)} µs (runs ${runs.perCall.map((r, i) => `${r.toFixed(2)}/${runs.calls[i]}`).join(', ')} µs/calls)`,
      );
    },
    async () => {
      // Not every run finished in time: keep the cold figure and whatever warm runs there are.
      if (!partial) return;
      const { perCall, ...cold } = partial;
      result.cost = { ...cold, warmUs: perCall.length ? median(perCall) : undefined, runs: perCall };
      log(`  track(): cold ${partial.coldUs.toFixed(2)} µs/call (${partial.coldCalls} calls); ${partial.perCall.length} warm runs finished in time`);
    },
  );

  // 2. A burst delivered end to end, with the main thread's time until the page is idle again.
  const run = await open(browser, target, userAgent);
  await step(result.errors, 'delivery', run.context, DELIVERY_LIMIT_MS + 2 * IDLE_LIMIT_MS + 45_000, async () => {
    await load(run.page, target.pageUrl());
    const meter = await openMeter(run.context, run.page);
    // Start-up work (chunks, a page view, deferred init) is not the burst's: 2 s of quiet first.
    await meter.untilIdle(IDLE_LIMIT_MS + 5000, 8);
    const idleRates = await meter.idleRate(2000);
    const idbBefore = (await run.page.evaluate(probeSince, 0)).idbTransactions;
    const before = await run.page.evaluate(accesses);
    run.wire.count = true;
    const stopProfile = options.profileDir ? await startProfile(run.context, run.page, options.profileDir, `${target.name}-round${options.round + 1}`) : undefined;
    const m0 = await meter.sample();
    const [start, issued, issueMs] = await run.page.evaluate(burst, [calls, 100, BASE.burst, BURST_LIMIT_MS] as [number, number, number, number]);
    const issuedAt = Date.now();
    const left = Math.max(5000, DELIVERY_LIMIT_MS - (issuedAt - m0.at));
    const stored = await pollUntil(
      () => target.delivered(BASE.burst, BASE.burst + calls),
      (s) => s.delivered >= issued,
      left,
      100,
    );
    const deliverMs = stored.delivered >= issued ? Date.now() - issuedAt : null;
    const [m1, idle] = await meter.untilIdle(IDLE_LIMIT_MS, 4, idleRates.taskMsPerS);
    const { mainThread, renderer, sched } = meter.between(m0, m1, idleRates, idle);
    await meter.close();
    const profile = await stopProfile?.();
    const after = await run.page.evaluate(accesses);
    const per = (key: keyof typeof after) => (after[key] - before[key]) / Math.max(1, issued);
    const probe = await run.page.evaluate(probeSince, start);
    run.wire.count = false;
    const heads = await run.wire.heads.total(5000);
    result.delivery = {
      events: issued,
      issueMs: Math.round(issueMs),
      delivered: stored.delivered,
      duplicates: stored.duplicates,
      deliverMs,
      requests: run.wire.requests,
      bodyBytes: run.wire.bytes,
      headerBytes: heads.bytes,
      headersEstimated: heads.estimated,
      longtasks: probe.longtasks,
      longestTaskMs: probe.longestMs,
      longtaskTotalMs: probe.totalMs,
      idbTransactionsPer1000: ((probe.idbTransactions - idbBefore) * 1000) / Math.max(1, issued),
      mainThread,
      mainThreadUsPerEvent: (mainThread.taskMs * 1000) / Math.max(1, issued),
      ...(sched
        ? {
            mainThreadSched: sched,
            mainThreadCpuUsPerEvent: (sched.cpuMs * 1000) / Math.max(1, issued),
            mainThreadWaitUsPerEvent: (sched.waitMs * 1000) / Math.max(1, issued),
          }
        : {}),
      ...(renderer ? { rendererCpu: renderer, rendererCpuUsPerEvent: (renderer.cpuMs * 1000) / Math.max(1, issued) } : {}),
      perEvent: {
        cookieReads: per('cookieReads'),
        cookieWrites: per('cookieWrites'),
        storageReads: per('storageReads'),
        storageWrites: per('storageWrites'),
        cookieUs: per('cookieMs') * 1000,
        storageUs: per('storageMs') * 1000,
      },
      cookieRoundTripUs: await run.page.evaluate(cookieRoundTripUs, 200),
      ...(profile ? { profile } : {}),
    };
    const d = result.delivery;
    log(
      `  delivery: ${issued} issued in ${d.issueMs} ms, ${d.delivered} stored ${deliverMs == null ? `(not all within ${DELIVERY_LIMIT_MS / 1000} s)` : `${deliverMs} ms after`}; ` +
        `main thread ${mainThread.taskMs.toFixed(0)} ms in ${mainThread.windowMs} ms = ${d.mainThreadUsPerEvent.toFixed(0)} µs/event${idle ? '' : ' (never idle)'} (idle ${idleRates.taskMsPerS.toFixed(1)} ms/s subtracted); ` +
        (sched
          ? `main thread on a core ${sched.cpuMs.toFixed(0)} ms = ${d.mainThreadCpuUsPerEvent!.toFixed(0)} µs/event, waiting for one ${sched.waitMs.toFixed(0)} ms = ${d.mainThreadWaitUsPerEvent!.toFixed(0)} µs/event ` +
            `(idle ${sched.idleCpuMsPerS.toFixed(1)} and ${sched.idleWaitMsPerS.toFixed(1)} ms/s subtracted); `
          : '') +
        (renderer
          ? `renderer CPU, all threads ${renderer.cpuMs.toFixed(0)} ms = ${d.rendererCpuUsPerEvent!.toFixed(0)} µs/event (idle ${renderer.idleMsPerS.toFixed(1)} ms/s subtracted); `
          : '') +
        `per event: cookie ${d.perEvent.cookieReads.toFixed(1)} reads ${d.perEvent.cookieWrites.toFixed(1)} writes, storage ${d.perEvent.storageReads.toFixed(1)} reads ${d.perEvent.storageWrites.toFixed(1)} writes, ${d.perEvent.cookieUs.toFixed(0)} µs in cookies, ${d.perEvent.storageUs.toFixed(0)} µs in Storage (a cookie write+read ${d.cookieRoundTripUs.toFixed(0)} µs); ` +
        `${d.requests} requests, ${d.bodyBytes} B bodies + ${d.headerBytes} B heads${d.headersEstimated ? ` (${d.headersEstimated} estimated)` : ''}, ${d.longtasks} long tasks, ${d.idbTransactionsPer1000.toFixed(1)} IDB tx/1000`,
    );
  });

  if (result.delivery?.profile) {
    const { profile, events } = result.delivery;
    log(
      `  profile (${profile.file}): ${profile.totalMs.toFixed(0)} ms sampled; µs per event by script: ${profile.scripts.map((x) => `${x.script} ${((x.ms * 1000) / events).toFixed(1)}`).join(', ')}`,
    );
    for (const f of profile.functions.slice(0, 12)) log(`    ${((f.ms * 1000) / events).toFixed(1).padStart(8)} µs/event  ${f.name}`);
  }
  if (!options.durability) return result;

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

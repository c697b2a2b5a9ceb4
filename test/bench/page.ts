// What runs inside the page: an init script that counts long tasks, IndexedDB transactions and
// document.cookie / Storage accesses (and the time spent in them), and the functions the bench
// evaluates (track cost, burst, short burst, the cookie round trip).
// They are plain functions serialised by playwright, so they must not close over anything.
import type { BenchConfig, BenchSdk } from './entries/types';

export interface PageProbe {
  longtasks: [start: number, duration: number][];
  idbTransactions: number;
  /** document.cookie reads and writes (a read after a write waits for the browser's network process). */
  cookieReads: number;
  cookieWrites: number;
  /** localStorage / sessionStorage getItem and setItem/removeItem calls. */
  storageReads: number;
  storageWrites: number;
  /** ms spent inside those accessors (summed performance.now() deltas: coarse each, fair in sum). */
  cookieMs: number;
  storageMs: number;
}

type BenchWindow = Window & { __bench: PageProbe; __benchConfig: BenchConfig; benchSdk: BenchSdk };

/** Installed before any page script: probes, and what each SDK needs to find its sink. */
export const initScript = (config: BenchConfig): void => {
  const w = window as unknown as BenchWindow;
  w.__benchConfig = config;
  const probe: PageProbe = { longtasks: [], idbTransactions: 0, cookieReads: 0, cookieWrites: 0, storageReads: 0, storageWrites: 0, cookieMs: 0, storageMs: 0 };
  w.__bench = probe;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longtasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  if (typeof IDBDatabase !== 'undefined') {
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<typeof transaction>) {
      probe.idbTransactions += 1;
      return transaction.apply(this, args);
    } as typeof transaction;
  }
  // Counting and timing wrappers: a JS call and two clock reads each, the same for every SDK.
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookie?.get && cookie.set) {
    const { get, set } = cookie;
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: cookie.enumerable,
      get(this: Document) {
        probe.cookieReads += 1;
        const start = performance.now();
        const value = get.call(this) as string;
        probe.cookieMs += performance.now() - start;
        return value;
      },
      set(this: Document, value: string) {
        probe.cookieWrites += 1;
        const start = performance.now();
        set.call(this, value);
        probe.cookieMs += performance.now() - start;
      },
    });
    (w as unknown as { __cookie: CookieRaw }).__cookie = { get: () => get.call(document) as string, set: (v) => set.call(document, v) };
  }
  if (typeof Storage !== 'undefined') {
    const { getItem, setItem, removeItem } = Storage.prototype;
    Storage.prototype.getItem = function (this: Storage, key: string) {
      probe.storageReads += 1;
      const start = performance.now();
      const value = getItem.call(this, key);
      probe.storageMs += performance.now() - start;
      return value;
    };
    Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      probe.storageWrites += 1;
      const start = performance.now();
      setItem.call(this, key, value);
      probe.storageMs += performance.now() - start;
    };
    Storage.prototype.removeItem = function (this: Storage, key: string) {
      probe.storageWrites += 1;
      const start = performance.now();
      removeItem.call(this, key);
      probe.storageMs += performance.now() - start;
    };
  }
  // A shopper's browser is not a webdriver; some SDKs stay silent when it is.
  Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false, configurable: true });
};

/** Wait for the SDK under test to be ready (bounded). */
export const whenReady = async (timeoutMs: number): Promise<boolean> => {
  const w = window as unknown as BenchWindow;
  const start = performance.now();
  while (!w.benchSdk) {
    if (performance.now() - start > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return Promise.race([
    w.benchSdk.ready.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), Math.max(0, timeoutMs - (performance.now() - start)))),
  ]);
};

/** trackCost's figures so far, as reported on the console. */
export interface CostSoFar {
  coldUs: number;
  coldCalls: number;
  perCall: number[];
  calls: number[];
}
/** Prefix of trackCost's console reports (a literal inside trackCost too: it runs in the page). */
export const COST_REPORT = '__bench_cost ';

/**
 * Synchronous cost of track(): the first 1,000 calls after load (cold: before the JIT warms),
 * then `runs` loops of `calls` (warm); µs per call for each. An SDK slower than `slowUs` per
 * call in its cold calls gets loops of `slowCalls` calls, and any loop stops after `runMs`, so that
 * one slow SDK cannot take the bench past its time budget; the calls actually made are reported.
 */
export const trackCost = async ([runs, calls, base, slowUs, slowCalls, runMs]: [number, number, number, number, number, number]): Promise<{
  perCall: number[];
  calls: number[];
  coldUs: number;
  coldCalls: number;
}> => {
  const { track } = (window as unknown as BenchWindow).benchSdk;
  let n = base;
  const loop = (count: number): [number, number] => {
    const start = performance.now();
    let done = 0;
    while (done < count) {
      for (let i = 0; i < 10 && done < count; i++, done++) track(n++);
      if (performance.now() - start > runMs) break;
    }
    return [((performance.now() - start) * 1000) / done, done];
  };
  // Each figure is reported on the console as soon as it exists: a page busy with an SDK's backlog
  // may never answer the bench again, but a console message already sent has left the page.
  const report = (cost: CostSoFar) => console.debug(`__bench_cost ${JSON.stringify(cost)}`);
  const [coldUs, coldCalls] = loop(1000);
  report({ coldUs, coldCalls, perCall: [], calls: [] });
  if (coldUs > slowUs) calls = Math.min(calls, slowCalls);
  await new Promise((r) => setTimeout(r, 100));
  const perCall: number[] = [];
  const made: number[] = [];
  for (let run = 0; run < runs; run++) {
    const [us, done] = loop(calls);
    perCall.push(us);
    made.push(done);
    report({ coldUs, coldCalls, perCall, calls: made });
    // Let the SDK's deferred work run between loops (not after the last: return at once).
    if (run < runs - 1) await new Promise((r) => setTimeout(r, 100));
  }
  return { perCall, calls: made, coldUs, coldCalls };
};

/**
 * A burst of `calls` events, `chunk` per task so that the caller's loop itself never makes a
 * long task: any long task seen afterwards is the SDK's own work. Stops issuing after
 * `limitMs`. Resolves with the start time, the number of events issued and the ms it took.
 */
export const burst = async ([calls, chunk, base, limitMs]: [number, number, number, number]): Promise<[number, number, number]> => {
  const { track } = (window as unknown as BenchWindow).benchSdk;
  const start = performance.now();
  const channel = new MessageChannel();
  const nextTask = () =>
    new Promise<void>((r) => {
      channel.port1.onmessage = () => r();
      channel.port2.postMessage(0);
    });
  let done = 0;
  while (done < calls && performance.now() - start < limitMs) {
    const end = Math.min(calls, done + chunk);
    for (; done < end; done++) track(base + done);
    await nextTask();
  }
  return [start, done, performance.now() - start];
};

/** `count` events in one go (the unload scenario). */
export const trackMany = ([count, base]: [number, number]): void => {
  const { track } = (window as unknown as BenchWindow).benchSdk;
  for (let i = 0; i < count; i++) track(base + i);
};

/** Long tasks and IndexedDB transactions since `since` (performance.now() time). */
export const probeSince = (since: number): { longtasks: number; longestMs: number; totalMs: number; idbTransactions: number } => {
  const { __bench } = window as unknown as BenchWindow;
  const tasks = __bench.longtasks.filter(([start]) => start >= since);
  return {
    longtasks: tasks.length,
    longestMs: Math.round(Math.max(0, ...tasks.map(([, d]) => d))),
    totalMs: Math.round(tasks.reduce((sum, [, d]) => sum + d, 0)),
    idbTransactions: __bench.idbTransactions,
  };
};

/** Cookie and storage accesses so far, and the time spent in them. */
export const accesses = (): Pick<PageProbe, 'cookieReads' | 'cookieWrites' | 'storageReads' | 'storageWrites' | 'cookieMs' | 'storageMs'> => {
  const { cookieReads, cookieWrites, storageReads, storageWrites, cookieMs, storageMs } = (window as unknown as BenchWindow).__bench;
  return { cookieReads, cookieWrites, storageReads, storageWrites, cookieMs, storageMs };
};

type CookieRaw = { get: () => string; set: (value: string) => void };

/**
 * µs per document.cookie write followed by a read, through the unwrapped accessors, averaged
 * over `pairs` (the page's timer is too coarse for one): the read after a write cannot come from
 * the renderer's cache and waits for the network process, as an SDK reading back its cookie does.
 */
export const cookieRoundTripUs = (pairs: number): number => {
  const raw = (window as unknown as { __cookie?: CookieRaw }).__cookie;
  if (!raw) return NaN;
  const start = performance.now();
  for (let i = 0; i < pairs; i++) {
    raw.set(`__bench_rt=${i}; path=/`);
    raw.get();
  }
  const us = ((performance.now() - start) * 1000) / pairs;
  raw.set('__bench_rt=; path=/; max-age=0');
  return us;
};

// The script-tag entry (dist/shoptrail.js). It reads its options from its own tag's data-*
// attributes (or from a `shoptrail('init', {...})` call), replays whatever the snippet stub
// recorded, in order, and leaves a `window.shoptrail` that is both callable and an object.
// (the tracker first: its schemas, and zod, lead the bundle, where gzip -9 packs them 50 B tighter)
import { createTracker, type TrackerCore } from './tracker';
import { optionsFromAttributes } from './config';
import { lent } from './lib/lent';
import { modules } from './modules';
import type { Tracker } from './types';

type Method = 'init' | 'track' | 'identify' | 'page' | 'consent' | 'flush' | 'usage' | 'on' | 'off' | 'reset' | 'shutdown';
/** A recorded call: its arguments, and the promise callbacks for flush/usage. */
type Recorded = [unknown[], ((value: unknown) => void)?, ((error: unknown) => void)?];

const METHODS: Method[] = ['init', 'track', 'identify', 'page', 'consent', 'flush', 'usage', 'on', 'off', 'reset', 'shutdown'];
/** Calls kept while waiting for `init` when the tag carries no endpoint. */
const WAITING_LIMIT = 1000;

type Api = ((method: Method, ...args: unknown[]) => unknown) & Record<string, unknown>;
const w = window as unknown as Window & { shoptrail?: Api & { q?: Recorded[]; loaded?: boolean } };

const install = () => {
  const existing = w.shoptrail;
  if (existing?.loaded) return; // the tag is on the page twice: one tracker is enough
  (w as any).shoptrail_lib = lent; // before any chunk loads: they borrow these instead of carrying copies
  const recorded: Recorded[] = Array.isArray(existing?.q) ? existing.q : [];
  const tag = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-endpoint],script[data-write-key]');
  const fromTag = tag ? optionsFromAttributes(tag) : {};

  let tracker: TrackerCore | undefined;
  const waiting: Recorded[] = [];

  const report = (message: string) => {
    if (tracker) tracker.emit('error', { code: 'bad-arguments', message });
    else if (fromTag.debug) console.warn(`[shoptrail] ${message}`);
  };

  /** `args`: the method's own, handed on as they are (no rest array, no spread per call). */
  const call = (method: unknown, args: unknown[]): unknown => {
    if (method === 'init') {
      if (tracker) {
        report('init after start: ignored');
        return undefined;
      }
      start(args[0]);
      return undefined;
    }
    if (typeof method !== 'string' || !METHODS.includes(method as Method)) {
      report(`unknown call "${String(method).slice(0, 50)}"`);
      return undefined;
    }
    if (!tracker) {
      if (waiting.length >= WAITING_LIMIT) return undefined;
      const recorded = [method, ...args];
      if (method === 'flush' || method === 'usage') {
        return new Promise((resolve, reject) => waiting.push([recorded, resolve, reject]));
      }
      waiting.push([recorded]);
      return undefined;
    }
    return (tracker[method as keyof Tracker] as (...a: unknown[]) => unknown).apply(tracker, args);
  };

  const replay = (calls: Recorded[]) => {
    for (const [recorded, resolve, reject] of calls) {
      try {
        const args = Array.from(recorded);
        const result = call(args[0], args.slice(1));
        if (resolve) Promise.resolve(result).then(resolve, reject);
      } catch (error) {
        reject?.(error);
      }
    }
  };

  const start = (options: unknown) => {
    const given = options && typeof options === 'object' ? (options as Record<string, unknown>) : {};
    tracker = createTracker({ ...fromTag, ...given }, modules);
    replay(waiting.splice(0));
  };

  const safely = (method: unknown, args: unknown[]) => {
    try {
      return call(method, args);
    } catch {
      return undefined; // the host page never sees our exceptions
    }
  };
  const api = ((...args: unknown[]) => safely(args[0], args.slice(1))) as Api & { loaded?: boolean };
  // `shoptrail.track(...)`, the usual form, builds no array beyond its own arguments.
  for (const method of METHODS) api[method] = (...args: unknown[]) => safely(method, args);
  api.loaded = true;
  w.shoptrail = api;

  // An explicit init among the recorded calls wins over starting from the tag alone.
  const hasInit = recorded.some(([args]) => args[0] === 'init');
  if (!hasInit && (fromTag.endpoint || fromTag.writeKey)) start({});
  replay(recorded);
};

try {
  install();
} catch (error) {
  // A tracker must never break the store it is on.
  console.warn('[shoptrail] failed to start', error); // (every browser we build for has a console)
}

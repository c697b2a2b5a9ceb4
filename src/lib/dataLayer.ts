// GA4 ecommerce events from `window.dataLayer`, as stores push them for Google Tag Manager:
// `dataLayer.push({ event: 'add_to_cart', ecommerce: {...} })` or gtag's
// `gtag('event', 'add_to_cart', {...})` (which pushes its `arguments`). Pushes made before
// Shoptrail loaded are replayed; later ones are seen by wrapping `push` once for every module.
// Work runs in later tasks, in slices, so a burst of pushes never makes a long task. Capture
// modules all install in one microtask, before the first replay runs.
import { later } from './later';

type GaEvent = Record<string, any>;
type Listener = (name: string, data: GaEvent) => void;

const listeners: Listener[] = [];
const pending: unknown[] = [];
let hooked: unknown;

const read = (entry: any): [string, GaEvent] | undefined => {
  if (!entry || typeof entry !== 'object') return;
  if (typeof entry.event === 'string') return [entry.event, entry.ecommerce || entry];
  if (entry[0] === 'event' && typeof entry[1] === 'string') return [entry[1], entry[2] || {}];
};

const drain = () => {
  const start = performance.now();
  while (pending.length) {
    if (performance.now() - start > 8) return later(drain); // yield; the rest in the next task
    const event = read(pending.shift());
    if (event) for (const fn of listeners) later(() => fn(...event));
  }
};

const take = (entries: unknown[]) => {
  if (!pending.length) later(drain);
  pending.push(...entries);
};

/** Call `fn(eventName, ecommerceData)` for every GA4 event pushed, before or after now. */
export const onDataLayer = (fn: Listener): (() => void) => {
  listeners.push(fn);
  const w = window as any;
  const layer: any[] = (w.dataLayer = w.dataLayer || []);
  if (hooked !== layer) {
    hooked = layer;
    const push = layer.push;
    take(Array.from(layer));
    layer.push = function (this: unknown, ...entries: unknown[]) {
      const result = push.apply(this, entries);
      try {
        take(entries);
      } catch {
        // never in the page's way
      }
      return result;
    };
  }
  return () => listeners.splice(listeners.indexOf(fn) >>> 0, 1);
};

// The plugin contract: what a part installed on a tracker gets (a narrow core), and how it
// joins in: through hooks that each return their undo. Guards, usage sections, work on page
// hide, the destination of queued events (delivery is a plugin like any other, as
// analytics-next makes its own destination one) and parts still loading. No plugin reassigns
// a method of the core: several may hook into one place and leave it as they found it.
import type { CatalogEntry } from './catalog';
import type { Config } from './config';
import type { Envelope } from './envelope';
import type { Queue } from './queue';
import type { ConsentState, DropReason, FlushResult, Tracker, TrackerEvents, UsageReport } from './types';

export type Undo = () => void;

/** A part installed on a tracker; returns its undo. */
export type Plugin = (core: Core) => Undo | undefined;

/** Returns a reason to drop the event, or undefined to let it through (cost guards). */
export type Guard = (event: Envelope, entry: CatalogEntry) => DropReason | undefined;

/** A part of `usage()`: its fields are merged over the queue's. */
export type UsageSection = () => Promise<Partial<UsageReport>>;

/** What to do with the events that wait in the queue: deliver them (src/delivery.ts). */
export interface Destination {
  /** Deliver now. `wait` queues behind another tab's flush instead of skipping. */
  flush(wait: boolean): Promise<FlushResult>;
  /** An event was queued. */
  queued(): void;
  /** The network is back. */
  online(): void;
}

/** One emission of the tracker, as `on()` hears it. */
export type Emission = { [K in keyof TrackerEvents]: [K, TrackerEvents[K]] }[keyof TrackerEvents];

/** What plugins get to work with. */
export interface Core extends Pick<Tracker, 'track' | 'identify' | 'page' | 'consent' | 'flush' | 'on'> {
  readonly config: Config;
  /** The durable queue (src/queue.ts), for the destination that empties it. */
  readonly queue: Queue;
  emit<K extends keyof TrackerEvents>(name: K, payload: TrackerEvents[K]): void;
  /** A `warning`, said once per code. */
  warn(code: string, message: string): void;
  consentState(): ConsentState;
  /** The catalog entry of a type: what chunks use, so they carry no copy of the catalog's schemas. */
  lookup(type: string): CatalogEntry | undefined;
  /** Events held in memory until consent is given, oldest first. */
  readonly held: readonly Envelope[];
  /** What a plugin that arrived late (src/lazy.ts) would have heard before, in order. */
  readonly missed?: readonly Emission[];
  /** Checked in order, after consent, before an event is queued. */
  guard(fn: Guard): Undo;
  /** Adds to what `usage()` reports. */
  section(fn: UsageSection): Undo;
  /** Runs on page hide, after the queue spilled what is not yet durable. */
  hide(fn: () => void): Undo;
  /** Takes the queued events; one at a time. */
  destination(d: Destination): Undo;
  /** `flush()`, `usage()` and going online wait for this first (a part still loading). */
  loading(fn: () => Promise<unknown>): Undo;
}

/** A hook into a set: add, and the undo removes (sets keep the order of addition). */
export const hook =
  <T>(set: Set<T>) =>
  (item: T): Undo => (set.add(item), () => set.delete(item));

/** Install a plugin; a fault becomes an `error` event (after the current script, for listeners registered right after), never an exception. */
export const install = (core: Core, plugin: Plugin): Undo => {
  try {
    return plugin(core) || (() => {});
  } catch (error) {
    const message = `a module failed to start: ${error instanceof Error ? error.message : typeof error}`;
    queueMicrotask(() => core.emit('error', { code: 'internal', message }));
    return () => {};
  }
};

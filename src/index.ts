// The npm entry: `import { createTracker } from 'shoptrail'`.
import { modules } from './modules';
import { createTracker as create } from './tracker';
import type { Tracker, TrackerOptions } from './types';
import { defineLifecycleEvents } from './lifecycle';

// Bundled apps can afford the lifecycle schemas; the script tag leaves them to the collector.
defineLifecycleEvents();

/** A tracker with every default module installed (capture, accounting). */
export const createTracker = (options: TrackerOptions = {}): Tracker => create(options, modules);

export { catalog, lookup, type CatalogEntry, type EventType, type Origin, type Priority } from './catalog';
export { defineCustomEvent } from './schemas/custom';
export { lifecycleEvents, LIFECYCLE_ACTIONS, type LifecycleAction, type LifecycleProperties } from './lifecycle';
export type { Envelope, EventContext, PageContext, Utm } from './envelope';
export type { AccountUsage, BatchResponse } from './protocol';
export type * from './types';

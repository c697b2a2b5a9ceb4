// The npm entry: `import { createTracker } from 'shoptrail'`.
import { modules } from './modules';
import { hasBrowser, noopTracker } from './noop';
import { createTracker as create } from './tracker';
import type { Tracker, TrackerOptions } from './types';
import { defineLifecycleEvents } from './lifecycle';

// Bundled apps can afford the lifecycle schemas; the script tag leaves them to the collector.
defineLifecycleEvents();

/**
 * A tracker with every default module installed (capture, accounting). In a server render (no
 * window, document or navigator) a tracker whose calls do nothing: importing and calling this
 * in Node never throws.
 */
export const createTracker = (options: TrackerOptions = {}): Tracker => (hasBrowser() ? create(options, modules) : noopTracker());

export { catalog, lookup, type CatalogEntry, type EventType, type Origin, type Priority } from './catalog';
export { defineCustomEvent } from './schemas/custom';
export { lifecycleEvents, LIFECYCLE_ACTIONS, type LifecycleAction, type LifecycleProperties } from './lifecycle';
export type { Envelope, EventContext, PageContext, Utm } from './envelope';
export type { AccountUsage, BatchResponse } from './protocol';
export type * from './types';

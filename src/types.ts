// Public types of the tracker API: options, results, and the events `on()` reports.
import type { EventType } from './catalog';
import type { Envelope } from './envelope';
import type { AccountUsage } from './protocol';
import type { InvalidCode } from './validate';

export type ConsentState = 'granted' | 'pending' | 'denied';

export interface TrackerOptions {
  /** Collector base URL, e.g. "https://collect.example.com". Without it events queue but are not sent. */
  endpoint?: string;
  /** Public write key of the entity ("pk_live_…"). */
  writeKey?: string;
  /** Data partition; "-" when the account has none. */
  entity?: string;
  /** Namespace of the IndexedDB databases and storage keys, for several trackers on one origin. */
  name?: string;
  /** Flush as soon as this many events are waiting. */
  flushAt?: number;
  /** Flush waiting events at least this often, in milliseconds. */
  flushInterval?: number;
  /** At most this many events per batch (the 64 KiB bound applies too). */
  maxBatchEvents?: number;
  /** Bound of the durable queue; beyond it the oldest low-priority events are evicted first. */
  maxQueueEvents?: number;
  /** Events older than this many hours are dropped instead of sent. */
  maxQueueAgeHours?: number;
  /** Minutes of inactivity after which a new session starts. */
  sessionTimeout?: number;
  /** Hold everything in memory (nothing stored or sent) until `consent('granted')`. */
  requireConsent?: boolean;
  /** Treat a Global Privacy Control signal as consent denied unless the site grants it. */
  respectGpc?: boolean;
  /** Treat Do Not Track as consent denied unless the site grants it. */
  respectDnt?: boolean;
  /** Compress batches with gzip where the browser can. */
  gzip?: boolean;
  /** Log what the tracker does to the console. */
  debug?: boolean;
  /** Autocapture as a whole; false turns every capture kind off. */
  capture?: boolean;
  /** Page visits on load and SPA navigations. */
  capturePages?: boolean;
  /** Count every hash change as a page visit (hash routes `#/…` and `#!…` always count). */
  captureHash?: boolean;
  captureSearch?: boolean;
  captureProducts?: boolean;
  captureCart?: boolean;
  capturePurchases?: boolean;
  captureForms?: boolean;
  /** Marked content blocks (opened, clicked). */
  captureContent?: boolean;
  /** Marked and outbound links. */
  captureLinks?: boolean;
  /** Web vitals (free events), from a lazily loaded chunk. */
  captureVitals?: boolean;
  /** Identify the shopper by the email typed into a login, register or newsletter form. */
  identifyByEmail?: boolean;
}

export interface TrackerError {
  code: InvalidCode | 'bad-arguments' | 'storage' | 'internal';
  message: string;
  type?: string;
}

/** Why events left the queue without being stored by the collector. */
export type DropReason =
  | 'consent-denied'
  | 'queue-full'
  | 'expired'
  | 'too-large'
  | `http-${number}`
  | (string & {});

export type TrackResult =
  /** Queued (or held until consent). `unchanged`: identify() had nothing new to tell. */
  | { ok: true; id: string; unchanged?: true }
  | { ok: false; error: TrackerError }
  | { ok: false; id: string; dropped: DropReason };

export interface TrackOptions {
  /** Send the event as of this time (ISO 8601 or epoch milliseconds). */
  timestamp?: string | number | Date;
}

export type Transport = 'fetch' | 'keepalive' | 'beacon';

export interface BatchReport {
  batchId: string;
  ids: string[];
  /** Size of the JSON body before compression. */
  bytes: number;
  /** Bytes actually put on the wire. */
  wireBytes: number;
  encoding: 'gzip' | 'identity';
  transport: Transport;
  /** HTTP status; 0 for a network error or a beacon whose answer is never read. */
  status: number;
  outcome: 'acked' | 'retry' | 'dropped' | 'split' | 'handed-off';
  retryInMs?: number;
  reason?: string;
}

export type StorageMode = 'indexeddb' | 'memory';

export interface TrackerEvents {
  /** An event passed validation and was queued (or held until consent). */
  queued: { event: Envelope };
  /** A batch request finished, or was handed to the browser on page hide. */
  batch: BatchReport;
  /** The collector stored these events (accepted now, or as duplicates of an earlier send). */
  acked: { batchId: string; events: Envelope[] };
  /** The collector refused this event; it is not retried. */
  rejected: { event: Envelope; error: string };
  /** Events removed without being stored, and why. */
  dropped: { reason: DropReason; events: Envelope[] };
  error: TrackerError;
  warning: { code: string; message: string };
  /** The account's consumption as the collector last reported it. */
  usage: AccountUsage;
  /** Events waiting in the queue after a change. */
  queue: { size: number; storage: StorageMode };
  consent: { state: ConsentState };
}

export interface FlushResult {
  /** Events acknowledged during this flush. */
  delivered: number;
  /** Events still waiting (retry later, consent pending, or no endpoint). */
  remaining: number;
  /** Set when the flush stopped early: a retry is scheduled after this many ms. */
  retryInMs?: number;
}

export interface UsageReport {
  queue: { size: number; storage: StorageMode };
  account: AccountUsage | null;
}

export interface Tracker {
  track<T extends EventType>(type: T | (string & {}), body?: unknown, options?: TrackOptions): TrackResult;
  identify(customerId: string, traits?: Record<string, unknown>): TrackResult;
  page(properties?: { title?: string; category?: string }): TrackResult;
  consent(state: 'granted' | 'denied'): void;
  flush(): Promise<FlushResult>;
  usage(): Promise<UsageReport>;
  on<K extends keyof TrackerEvents>(name: K, fn: (payload: TrackerEvents[K]) => void): () => void;
  off<K extends keyof TrackerEvents>(name: K, fn: (payload: TrackerEvents[K]) => void): void;
  /** Forget the customer and start a new anonymous id and session (on logout). */
  reset(): void;
  /** Stop timers and listeners; waiting events stay queued for the next page. */
  shutdown(): void;
}

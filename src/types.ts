// Public types of the tracker API: options, results, and the events `on()` reports.
import type { EventType } from './catalog';
import type { Envelope } from './envelope';
import type { AccountUsage } from './protocol';
import type { InvalidCode } from './validate';

export type ConsentState = 'granted' | 'pending' | 'denied';

export interface TrackerOptions extends AccountingOptions {
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
  /**
   * Follow a consent platform ("tcf", "gcm", "shopify", several comma-separated), loaded only
   * then; consent is pending until it answers (docs/integrations.md).
   */
  consentPlatform?: string;
  /** Treat a Global Privacy Control signal as consent denied unless the site grants it. */
  respectGpc?: boolean;
  /** Treat Do Not Track as consent denied unless the site grants it. */
  respectDnt?: boolean;
  /** Send from automated browsers too (navigator.webdriver true): end-to-end tests, monitoring. */
  allowAutomation?: boolean;
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

/** Options of cost accounting (src/guards/, src/ledger.ts), resolved with the others in src/config.ts. */
export interface AccountingOptions {
  /** Activities per billing cycle, for the local forecast and `usage-warning`. */
  allowance?: number;
  /** Day of the month the billing cycle starts (1–31; clamped to short months). */
  cycleStartDay?: number;
  /** IANA time zone of the billing cycle and of days in the ledger; UTC by default. */
  timeZone?: string;
  /** `observe`: count what the guards would drop without dropping it. */
  guardMode?: 'enforce' | 'observe';
  /** Token buckets per event type; defaults: low priority 30/min burst 10, normal 60/min burst 20. */
  rateLimits?: Record<string, { perMinute: number; burst: number }>;
  /** Non-essential billable events per session; default 500. */
  sessionCap?: number;
  /** Milliseconds within which an identical event is a duplicate; default 1000. */
  duplicateWindow?: number;
  /** Shed a priority when the account's remaining share of the allowance falls below this; default low 0.1, normal 0.02. */
  allowanceReserve?: { low?: number; normal?: number };
}

export interface TrackerError {
  code: InvalidCode | 'bad-arguments' | 'storage' | 'internal' | 'write-key-refused';
  message: string;
  type?: string;
}

/** Why events left the queue without being stored by the collector. */
export type DropReason = 'consent-denied' | 'queue-full' | 'expired' | 'too-large' | `http-${number}` | (string & {});

export type TrackResult =
  /** Queued (or held until consent). `unchanged`: identify() had nothing new to tell. */
  { ok: true; id: string; unchanged?: true } | { ok: false; error: TrackerError } | { ok: false; id: string; dropped: DropReason };

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
  outcome: 'acked' | 'retry' | 'dropped' | 'split' | 'refused' | 'handed-off';
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
  /** `guardMode: 'observe'`: a guard would have dropped this event, which went on. */
  observed: { reason: DropReason; event: Envelope };
  error: TrackerError;
  warning: { code: string; message: string };
  /** The account's consumption as the collector last reported it. */
  usage: AccountUsage;
  /** Events waiting in the queue after a change. */
  queue: { size: number; storage: StorageMode };
  consent: { state: ConsentState };
  /** The projected use first exceeds the allowance this cycle: once per cycle and source. */
  'usage-warning': UsageWarning;
}

export interface UsageWarning {
  projected: number;
  allowance: number;
  /** YYYY-MM-DD the allowance runs out at the current rate. */
  exhaustsOn: string | null;
  /** `account`: the collector's account-wide figures; `local`: this browser's ledger against the `allowance` option. */
  source: 'account' | 'local';
}

export interface FlushResult {
  /** Events acknowledged during this flush. */
  delivered: number;
  /** Events still waiting (retry later, consent pending, or no endpoint). */
  remaining: number;
  /** Set when the flush stopped early: a retry is scheduled after this many ms. */
  retryInMs?: number;
}

/** Activities (billable events) by what became of them. */
export interface Activities {
  /** Queued (or held for consent), not yet acknowledged. */
  pending: number;
  /** Stored by the collector; each event counted once however often it was sent. */
  accepted: number;
  /** Invalid at track time, or refused by the collector. */
  rejected: number;
  /** Removed by a guard, consent, the queue's bounds or a 4xx answer. */
  dropped: number;
}

/** The account with its forecast for the cycle. */
export interface AccountReport extends AccountUsage {
  percent: number;
  projected: number;
  exhaustsOn: string | null;
  daysLeft: number;
}

/** This browser's ledger for the current billing cycle. */
export interface LedgerReport {
  cycle: { start: string; end: string };
  activities: Activities;
  byType: Record<string, Activities>;
  /** By local day (YYYY-MM-DD): pending by the day queued, the others by the day settled. */
  byDay: Record<string, Activities>;
  /** Dropped activities by reason. */
  drops: Record<string, number>;
  /** What the guards would have dropped in `guardMode: 'observe'`, by reason. */
  observed: Record<string, number>;
}

/** `usage()`: the queue, the account, and (with the default modules, which include the ledger) the ledger. */
export interface UsageReport extends Partial<LedgerReport> {
  queue: { size: number; storage: StorageMode };
  account: AccountReport | null;
}

/** What identify() tells about a customer; other keys are kept as profile attributes. */
export interface Traits {
  email?: string;
  /** Profile attributes (flat values): `{ plan: 'gold', city: 'Lyon' }`. */
  attributes?: Record<string, string | number | boolean | null>;
  /** Opt-ins: `{ newsletter: true, sms: false }`. */
  subscriptions?: Record<string, boolean>;
  [trait: string]: unknown;
}

export interface Tracker {
  track<T extends EventType>(type: T | (string & {}), body?: unknown, options?: TrackOptions): TrackResult;
  identify(customerId: string, traits?: Traits): TrackResult;
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

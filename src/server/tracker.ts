// createServerTracker: the store's back end sends events with a server key. Events are
// validated and given their id at `track` (so every retry is the same event and the collector
// stores it once), kept in a bounded memory queue, sent in batches by one sender at a time, and
// sent again with backoff until the collector acknowledges them. Node only: no browser globals.
import { randomUUID } from 'node:crypto';
import type { BodyOf, EventType } from '../catalog';
import type { Envelope, RejectedEvent } from '../schema';
import { backoffDelay } from './backoff';
import { validateServerEnvelope } from './envelope';
import { type SendOptions, sendBatch } from './send';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0';
/** The collector's own limits: 500 events and 1 MiB a batch. */
const MAX_EVENTS = 500;

export interface ServerTrackerOptions {
  /** The collector's base URL, e.g. https://collect.example.com */
  endpoint: string;
  /** The entity's secret server key (collector config `serverKeys`). Keep it out of browsers. */
  serverKey: string;
  entity: string;
  /** Send as soon as this many events wait (100, at most 500). */
  flushAt?: number;
  /** Send what waits at least this often (1,000 ms). */
  flushIntervalMs?: number;
  /** Events kept in memory at most (10,000); `track` refuses more with `queue-full`. */
  maxQueue?: number;
  /** Bytes of events per batch (512 KiB, under the collector's 1 MiB). */
  maxBatchBytes?: number;
  gzip?: boolean;
  /** First retry delay (500 ms), doubling up to `maxBackoffMs` (60 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** One request's timeout (10 s). */
  timeoutMs?: number;
  /** Named in every envelope's context.library (default shoptrail-node). */
  library?: { name: string; version: string };
  fetch?: typeof fetch;
  /** Told of every event that will not be stored, and of retries. */
  onError?: (error: ServerTrackerError) => void;
}

export type ServerErrorCode =
  | 'unknown-type'
  | 'invalid-body'
  | 'invalid-envelope'
  | 'platform-only'
  | 'too-large'
  | 'too-deep'
  | 'queue-full'
  | 'closed'
  | 'rejected'
  | 'dropped'
  | 'retrying'
  | 'unsent-at-close';

export interface ServerTrackerError {
  code: ServerErrorCode;
  message: string;
  /** The events concerned. */
  ids: string[];
}

export type ServerTrackResult = { ok: true; id: string } | { ok: false; code: ServerErrorCode; message: string };

export interface ServerTrackOptions {
  customerId?: string;
  /** The browser this is about, when the back end knows it (e.g. from a cookie). */
  anonymousId?: string;
  sessionId?: string;
  /** When it happened (now). */
  createdAt?: Date | string;
  /** Your own idempotency key, a UUID (a new one by default). */
  id?: string;
  context?: Pick<Envelope['context'], 'utm' | 'locale'>;
}

export interface ServerTracker {
  /** Validate and queue one event of any catalog type, platform ones included. Never throws. */
  track<T extends EventType>(type: T, body: BodyOf<T>, options?: ServerTrackOptions): ServerTrackResult;
  /** Profile traits (email, attributes, subscriptions) of a customer: an entity-identified event. */
  identify(customerId: string, traits?: Record<string, unknown>, options?: Omit<ServerTrackOptions, 'customerId'>): ServerTrackResult;
  /** Resolves once everything queued so far is acknowledged (or dropped as undeliverable). */
  flush(): Promise<void>;
  /** Refuse new events, flush for at most `timeoutMs` (30 s), stop; what is left is reported. */
  close(options?: { timeoutMs?: number }): Promise<{ unsent: number }>;
  /** Events waiting in memory. */
  pending(): number;
}

interface Queued {
  event: Envelope;
  bytes: number;
}

/** Wait `ms`, or less if `stop` aborts first. */
const sleep = (ms: number, ref: boolean, stop: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (!ref) timer.unref();
    stop.addEventListener('abort', done);
  });

export const createServerTracker = (options: ServerTrackerOptions): ServerTracker => {
  const flushAt = Math.min(Math.max(1, options.flushAt ?? 100), MAX_EVENTS);
  const maxQueue = options.maxQueue ?? 10_000;
  const maxBytes = options.maxBatchBytes ?? 512 * 1024;
  const baseMs = options.backoffMs ?? 500;
  const maxMs = options.maxBackoffMs ?? 60_000;
  const library = options.library ?? { name: 'shoptrail-node', version: VERSION };
  const stop = new AbortController();
  const send: SendOptions = {
    stop: stop.signal,
    endpoint: options.endpoint,
    serverKey: options.serverKey,
    gzip: options.gzip ?? true,
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: options.fetch ?? fetch,
  };
  const report = (code: ServerErrorCode, message: string, ids: string[]) => {
    try {
      options.onError?.({ code, message, ids });
    } catch {
      // the caller's handler must not stop delivery
    }
  };

  const queue: Queued[] = [];
  let closed = false;
  let urgent = false;
  let loop: Promise<void> | undefined;
  let attempt = 0;
  /** Events per batch; halved while the collector answers 413. */
  let cap = MAX_EVENTS;
  let waiters: Array<() => void> = [];

  /** A batch from the head of the queue, by count and bytes (at least one event). */
  const nextBatch = () => {
    let n = 0;
    let bytes = 0;
    while (n < queue.length && n < cap && (n === 0 || bytes + queue[n]!.bytes <= maxBytes)) bytes += queue[n++]!.bytes;
    return n;
  };

  const deliver = async (): Promise<void> => {
    while (queue.length && (urgent || queue.length >= flushAt) && !stop.signal.aborted) {
      const n = nextBatch();
      const events = queue.slice(0, n).map((q) => q.event);
      const result = await sendBatch(send, events);
      if (result.kind === 'retry') {
        attempt += 1;
        const wait = Math.max(backoffDelay(attempt, baseMs, maxMs), result.retryAfterMs ?? 0);
        report(
          'retrying',
          `${result.error}; sending again in ${Math.round(wait)} ms`,
          events.map((e) => e.id),
        );
        // Held open only while someone awaits flush() or close().
        await sleep(wait, waiters.length > 0, stop.signal);
        continue;
      }
      attempt = 0;
      if (result.kind === 'split' && n > 1) {
        // Too large for the collector: send halves (the queue keeps the order).
        cap = Math.ceil(n / 2);
        continue;
      }
      cap = MAX_EVENTS;
      if (result.kind === 'ok') handleRejected(result.rejected);
      else
        report(
          'dropped',
          result.error,
          events.map((e) => e.id),
        );
      queue.splice(0, n);
    }
    if (!queue.length) {
      urgent = false;
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };
  const handleRejected = (rejected: RejectedEvent[]) => {
    for (const r of rejected) report('rejected', r.error, [r.id]);
  };
  const kick = () => {
    loop ??= deliver().finally(() => {
      loop = undefined;
      // Events queued while the last request was in flight.
      if (queue.length && (urgent || queue.length >= flushAt) && !stop.signal.aborted) kick();
    });
  };

  const timer = setInterval(() => {
    if (queue.length) {
      urgent = true;
      kick();
    }
  }, options.flushIntervalMs ?? 1000);
  timer.unref();

  const enqueue = (type: string, body: unknown, opts: ServerTrackOptions = {}): ServerTrackResult => {
    if (closed) return { ok: false, code: 'closed', message: 'the tracker is closed' };
    if (queue.length >= maxQueue) {
      const message = `the queue holds ${maxQueue} events already: the collector is not keeping up or not reachable`;
      report('queue-full', message, []);
      return { ok: false, code: 'queue-full', message };
    }
    const raw = {
      id: opts.id ?? randomUUID(),
      type,
      v: 1,
      entity: options.entity,
      ...(opts.anonymousId ? { anonymousId: opts.anonymousId } : {}),
      ...(opts.customerId ? { customerId: opts.customerId } : {}),
      ...(opts.sessionId ? { sessionId: opts.sessionId } : {}),
      createdAt: opts.createdAt ? new Date(opts.createdAt).toISOString() : new Date().toISOString(),
      context: { ...opts.context, library },
      body: body ?? {},
    };
    const checked = validateServerEnvelope(raw);
    if (!checked.ok) return { ok: false, code: checked.code, message: checked.message };
    queue.push({ event: checked.value, bytes: Buffer.byteLength(JSON.stringify(checked.value)) });
    if (queue.length >= flushAt) kick();
    return { ok: true, id: checked.value.id };
  };

  const flush = (): Promise<void> => {
    if (!queue.length) return Promise.resolve();
    const done = new Promise<void>((resolve) => waiters.push(resolve));
    urgent = true;
    kick();
    return done;
  };

  return {
    track: (type, body, opts) => enqueue(type, body, opts),
    identify: (customerId, traits, opts) => enqueue('entity-identified', { customerId, ...(traits ? { traits } : {}) }, { ...opts, customerId }),
    flush,
    async close({ timeoutMs = 30_000 } = {}) {
      closed = true;
      clearInterval(timer);
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([flush(), new Promise<void>((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
      // Time is up: cut a request in flight and the backoff, so the process may exit.
      stop.abort();
      await loop?.catch(() => undefined);
      const unsent = queue.length;
      if (unsent)
        report(
          'unsent-at-close',
          `${unsent} events were not acknowledged within ${timeoutMs} ms`,
          queue.map((q) => q.event.id),
        );
      return { unsent };
    },
    pending: () => queue.length,
  };
};

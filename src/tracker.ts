// createTracker: wires validation, identity, consent, the queue and delivery behind the
// public API. Every public call is guarded: a bad argument or an internal fault becomes a
// returned error and an `error` event, never an exception in the host page.
import { type CatalogEntry, type EventType, lookup } from './catalog';
import { type Config, resolveConfig } from './config';
import { initialConsent, storeConsent } from './consent';
import { createContext } from './context';
import { createDelivery, type Delivery } from './delivery';
import { type Envelope, WIRE_VERSION } from './envelope';
import { createIdentity } from './identity';
import { loadChunk } from './lib/chunk';
import { createEmitter } from './lib/emitter';
import { listen } from './lib/later';
import { onHidden } from './lib/onHidden';
import { uuid } from './lib/uuid';
import { readUtm } from './context';
import { MAX_EVENT_BYTES } from './protocol';
import { createQueue, envelopes, keyTime } from './queue';
import type {
  ConsentState,
  DropReason,
  Tracker,
  TrackerError,
  TrackerEvents,
  TrackerOptions,
  TrackOptions,
  TrackResult,
} from './types';
import { browserType, validateBody } from './validate';

/** Returns a reason to drop the event, or undefined to let it through (cost guards). */
export type Guard = (event: Envelope, entry: CatalogEntry) => DropReason | undefined;

/** What capture modules and other internal parts get to work with. */
export interface TrackerCore extends Tracker {
  readonly config: Config;
  /** The options as given, for modules that read their own (capture, guards …). */
  readonly options: Record<string, unknown>;
  emit<K extends keyof TrackerEvents>(name: K, payload: TrackerEvents[K]): void;
  /** Checked in order before an event is queued. */
  readonly guards: Guard[];
  consentState(): ConsentState;
  /** Events not yet delivered — in the queue (every tab's) or held for consent — with the time each was queued. */
  waiting(): Promise<Array<{ type: string; at: number }>>;
  /**
   * What was emitted before the ledger started (it may arrive later, in a chunk), in order, for
   * it to count; taken once, after which nothing more is kept.
   */
  takeBacklog(): Backlog;
  /** The catalog entry of a type: what chunks use, so they carry no copy of the catalog's schemas. */
  lookup(type: string): CatalogEntry | undefined;
}

export type Backlog = Array<{ [K in keyof TrackerEvents]: [K, TrackerEvents[K]] }[keyof TrackerEvents]>;
/** A backlog holds at most this many emissions: enough for any start-up, bounded for a runaway one. */
const BACKLOG_LIMIT = 5000;

/** A part installed on a tracker; returns its uninstall. */
export type Plugin = (core: TrackerCore) => (() => void) | void;

/** Events held in memory while consent is pending; the oldest go beyond this. */
const HELD_LIMIT = 500;

declare const __CHUNKS__: boolean | undefined;
/** A background chunk that did not load is asked for again this long after. */
const CHUNK_RETRY_MS = 30_000;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : describe(error));
/** A value in an error message, without calling anything a hostile object could override. */
const describe = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 100) : typeof value);

/** An internal fault of `what`, as an error value. */
const internal = (what: string, error: unknown): TrackerError => ({ code: 'internal', message: `${what} failed: ${errorMessage(error)}` });

const parseTimestamp = (value: TrackOptions['timestamp']): string | undefined => {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

export const createTracker = (options: TrackerOptions = {}, plugins: Plugin[] = []): TrackerCore => {
  const raw = (options && typeof options === 'object' ? options : {}) as Record<string, unknown>;
  const warnings: string[] = [];
  const config = resolveConfig(options, (message) => warnings.push(message));
  const emitter = createEmitter<TrackerEvents>((error) => {
    if (config.debug) console.warn('[shoptrail] a listener threw', error);
  });
  let backlog: Backlog | undefined = [];
  const emit: TrackerCore['emit'] = (name, payload) => {
    if (backlog && backlog.length < BACKLOG_LIMIT) backlog.push([name, payload] as Backlog[number]);
    emitter.emit(name, payload);
  };
  const warned = new Set<string>();
  const warn = (code: string, message: string) => {
    if (warned.has(code)) return; // say it once
    warned.add(code);
    emit('warning', { code, message });
    if (config.debug) console.warn(`[shoptrail] ${message}`);
  };
  const fail = (error: TrackerError): TrackResult => {
    emit('error', error);
    if (config.debug) console.warn(`[shoptrail] ${error.message}`);
    return { ok: false, error };
  };

  let consent = initialConsent(config);
  const mayStore = () => consent === 'granted';
  const identity = createIdentity(config.name, config.sessionTimeout * 60_000, readUtm(location.search), mayStore);
  identity.save(); // a new id at once, so a second tab opened now shares it
  const context = createContext(identity.utm);
  let sessionId = '';
  const held: Envelope[] = [];
  const guards: Guard[] = [];

  const dropped = (reason: DropReason, events: Envelope[]) => {
    if (events.length) emit('dropped', { reason, events });
  };

  const queue = createQueue({
    name: config.name,
    maxEvents: config.maxQueueEvents,
    maxAgeMs: config.maxQueueAgeHours * 3_600_000,
    maxEventBytes: MAX_EVENT_BYTES,
    onDrop(reason, items) {
      if (reason === 'too-large') {
        for (const item of items) {
          emit('error', {
            code: 'too-large',
            type: item.type,
            message: `${item.type}: event is ${item.bytes} bytes, over the ${MAX_EVENT_BYTES}-byte limit; not queued`,
          });
        }
      }
      dropped(reason, envelopes(items));
    },
    onStorage(mode, error) {
      if (mode === 'memory') {
        warn(
          'storage-memory',
          `IndexedDB is unavailable (${errorMessage(error)}); events are kept in memory until it recovers`,
        );
      } else {
        warned.delete('storage-memory'); // a later failure deserves a new warning
      }
    },
  });

  /**
   * Delivery works after start-up, so the script tag loads it in the background chunk
   * (dist/shoptrail-background.js) and queues in IndexedDB until it arrives. Only flush()
   * waits for it (and usage(), for the ledger in the same chunk): a page left before it
   * arrives leaves its events to the next page.
   */
  let delivery: Delivery | undefined;
  let stopped = false;
  const deliver = (create: typeof createDelivery) => {
    if (!stopped) delivery ||= create({ config, queue, emit, canSend: () => consent === 'granted' && !!config.endpoint });
    return delivery;
  };
  let loading: Promise<Delivery | undefined> | undefined;
  /** The delivery, once loaded; a chunk that failed to load is asked for again (next call, or in 30 s). */
  const ready = (): Promise<Delivery | undefined> =>
    delivery
      ? Promise.resolve(delivery)
      : (loading ||= (loadChunk('background') as Promise<{ createDelivery: typeof createDelivery }>).then(
          (chunk) => deliver(chunk.createDelivery),
          () => {
            loading = undefined;
            warn('background-chunk', 'shoptrail-background.js did not load: events stay queued until it does');
            setTimeout(() => stopped || ready(), CHUNK_RETRY_MS); // besides the next flush() or going online
            return undefined;
          },
        ));
  // (the test of __CHUNKS__ stays here: esbuild drops the dead import only within one module)
  if (typeof __CHUNKS__ != 'undefined' && __CHUNKS__) void ready();
  else deliver(createDelivery);

  // A burst of events within one millisecond shares one ISO string.
  let lastNow = 0;
  let lastIso = '';

  /** Build the envelope; the body is already validated. */
  const envelope = (type: string, body: Record<string, unknown>, createdAt?: string): Envelope => {
    const now = Date.now();
    if (now !== lastNow) lastIso = new Date((lastNow = now)).toISOString();
    const session = identity.session(now);
    if (session !== sessionId) {
      if (sessionId) context.setUtm(identity.utm); // a new session keeps no stale campaign
      sessionId = session;
    }
    const event: Envelope = {
      id: uuid(),
      type: type as EventType,
      v: WIRE_VERSION,
      entity: config.entity,
      anonymousId: identity.anonymousId,
      sessionId: session,
      createdAt: createdAt ?? lastIso,
      context: context.current(),
      body,
    };
    const customerId = identity.customerId;
    if (customerId) event.customerId = customerId;
    return event;
  };

  /** Past validation: consent, guards, then the queue. */
  const accept = (event: Envelope, entry: CatalogEntry): TrackResult => {
    if (consent === 'denied') {
      dropped('consent-denied', [event]);
      return { ok: false, id: event.id, dropped: 'consent-denied' };
    }
    for (const guard of guards) {
      const reason = guard(event, entry);
      if (reason) {
        dropped(reason, [event]);
        return { ok: false, id: event.id, dropped: reason };
      }
    }
    if (consent === 'pending') {
      if (held.push(event) > HELD_LIMIT) dropped('consent-pending-overflow', held.splice(0, 1));
    } else {
      queue.push(event);
      delivery?.queued();
    }
    if (emitter.has('queued')) emit('queued', { event });
    return { ok: true, id: event.id };
  };

  /** The whole path of one event, for public calls (`sdk` false) and Shoptrail's own (`sdk` true). */
  const record = (type: unknown, body: unknown, opts: TrackOptions | undefined, sdk: boolean): TrackResult => {
    try {
      const checked = browserType(type);
      if (!checked.ok) return fail({ code: checked.code, message: checked.message, type: describe(type) });
      const entry = checked.value;
      const name = type as string;
      if (entry.origin === 'sdk' && !sdk) {
        return fail({ code: 'platform-only', message: `"${name}" is reserved for Shoptrail itself`, type: name });
      }
      if (name === 'web-page-visited') context.refresh(); // a navigation may have just happened
      if (entry.origin === 'disused') {
        warn(`disused:${name}`, `"${name}" is disused: still accepted and billed, but better replaced`);
      }
      const valid = validateBody(name, entry, body);
      if (!valid.ok) return fail({ code: valid.code, message: valid.message, type: name });
      const createdAt = opts && typeof opts === 'object' ? parseTimestamp(opts.timestamp) : undefined;
      return accept(envelope(name, valid.value, createdAt), entry);
    } catch (error) {
      return fail(internal('track', error));
    }
  };

  /** A public call that returns nothing: an internal fault becomes an `error` event. */
  const guarded =
    <A extends unknown[]>(name: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        emit('error', internal(name, error));
      }
    };

  let announced = false;
  const announce = () => {
    // The first anonymous id of this browser, once it may be stored (DESIGN.md "Catalog").
    if (identity.isNew && consent === 'granted' && !announced) {
      announced = true;
      record('entity-created', {}, undefined, false);
    }
  };

  const setConsent = (state: ConsentState) => {
    if (state === consent) return;
    consent = state;
    emit('consent', { state });
    if (state === 'granted') {
      identity.save();
      announce();
      for (const event of held.splice(0)) queue.push(event);
      delivery?.queued();
      void delivery?.flush(false);
    } else if (state === 'denied') {
      identity.erase();
      dropped('consent-denied', held.splice(0));
      void queue.clear().then((items) => dropped('consent-denied', envelopes(items)));
    }
  };

  const uninstalls: Array<() => void> = [];
  uninstalls.push(
    onHidden(
      guarded('hide', () => {
        identity.save();
        queue.spill(); // before anything else: IndexedDB writes started now would not commit
        delivery?.hidden();
      }),
    ),
  );
  uninstalls.push(listen(window, 'online', guarded('online', () => void ready().then((d) => d?.online()))));

  const tracker: TrackerCore = {
    config,
    options: raw,
    emit,
    guards,
    consentState: () => consent,
    lookup,
    takeBacklog: () => {
      const taken = backlog || [];
      backlog = undefined;
      return taken;
    },
    waiting: async () => [
      ...(await queue.read(config.maxQueueEvents)).map((item) => ({ type: item.type, at: keyTime(item.k) })),
      ...held.map((event) => ({ type: event.type, at: Date.parse(event.createdAt) })),
    ],

    track: (type, body, opts) => record(type, body, opts, false),

    identify: (customerId, traits) => {
      try {
        if (typeof customerId !== 'string' || !customerId.trim()) {
          return fail({ code: 'bad-arguments', message: 'identify: customerId must be a non-empty string' });
        }
        const id = customerId.trim();
        const body = traits === undefined ? { customerId: id } : { customerId: id, traits };
        let fingerprint: string;
        try {
          fingerprint = JSON.stringify(body);
        } catch {
          return fail({ code: 'bad-arguments', message: 'identify: traits must be JSON data' });
        }
        // Same customer, same traits: already told. Repeating it on every page would bill every page.
        if (!identity.identifyChanges(id, fingerprint)) return { ok: true, id: '', unchanged: true };
        return record('entity-identified', body, undefined, false);
      } catch (error) {
        return fail(internal('identify', error));
      }
    },

    page: (properties) => {
      const props = properties && typeof properties === 'object' ? properties : {};
      return record('web-page-visited', props, undefined, false);
    },

    consent: guarded(
      'consent',
      (state: 'granted' | 'denied') => {
        if (state !== 'granted' && state !== 'denied') {
          fail({ code: 'bad-arguments', message: `consent: expected "granted" or "denied", got ${describe(state)}` });
          return;
        }
        storeConsent(config, state);
        setConsent(state);
      },
    ),

    // After a microtask, so what was tracked at start-up (entity-created, the first page visit) goes too.
    flush: () =>
      ready()
        .then(async (d) => (d ? d.flush(true) : { delivered: 0, remaining: await queue.size() }))
        .catch((error) => {
          emit('error', internal('flush', error));
          return { delivered: 0, remaining: -1 };
        }),

    usage: async () => {
      let size = -1;
      try {
        size = await queue.size();
      } catch (error) {
        emit('error', internal('usage', error));
      }
      return { queue: { size, storage: queue.storage() }, account: null };
    },

    on: (name, fn) => {
      if (typeof name !== 'string' || typeof fn !== 'function') {
        fail({ code: 'bad-arguments', message: 'on: expected an event name and a function' });
        return () => {};
      }
      return emitter.on(name, fn);
    },

    off: (name, fn) => {
      if (typeof name === 'string') emitter.off(name, fn);
    },

    reset: guarded('reset', () => identity.reset()),

    shutdown: guarded(
      'shutdown',
      () => {
        stopped = true;
        delivery?.stop();
        identity.save();
        for (const uninstall of uninstalls.splice(0)) uninstall();
      },
    ),
  };

  // Modules start now, so the guards already see the calls a snippet replays right after
  // creation. What the tracker and the modules announce waits for a microtask, after the
  // current script, so listeners registered right after creation (the snippet's replayed `on`
  // calls too) see the warnings, the first announcement and the first capture.
  const failures: string[] = [];
  queueMicrotask(() => {
    if (stopped) return;
    for (const message of warnings) warn(`config:${message}`, message);
    if (!config.endpoint) warn('no-endpoint', 'no endpoint configured: events are queued but not sent');
    for (const message of failures) emit('error', { code: 'internal', message });
    announce();
  });
  for (const plugin of plugins) {
    try {
      const uninstall = plugin(tracker);
      if (uninstall) uninstalls.push(uninstall);
    } catch (error) {
      failures.push(`a module failed to start: ${errorMessage(error)}`);
    }
  }
  return tracker;
};

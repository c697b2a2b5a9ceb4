// The durable queue, as plain functions around one store (the idb-keyval way): events wait in
// IndexedDB (a database of their own) until the collector acknowledges them. `push` is
// synchronous and cheap; the writes of one task are coalesced into one record (a segment) in
// the next task, so a burst of track() calls costs one IndexedDB request, not one each: every
// request costs the main thread ~50–100 µs in Chromium, far more than cloning the event. When
// IndexedDB is missing, blocked, broken or full, the queue keeps going in memory and says so
// once. The `Queue` object owns every piece of the queue's state; the functions that only
// delivery calls (`read`, `remove`, `unsent`) ship in the background chunk, not in shoptrail.js.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { rankOf } from './catalog';
import type { Envelope } from './envelope';
import { utf8Length } from './lib/utf8';
import { createSpill, forget, type Spill, spill as spillNow, takeSpilled } from './spill';
import type { StorageMode } from './types';

/** One queued event as stored: its JSON is serialised once, when it is written. */
export interface QueueItem {
  /** Sortable key: enqueue time, then tab and sequence, so reads come oldest first. */
  k: string;
  id: string;
  type: string;
  /** Eviction rank: 0 essential, 1 normal, 2 low. */
  r: number;
  json: string;
  bytes: number;
  /** Key of the segment (record) that holds it. */
  s?: string;
}

/**
 * What one IndexedDB record holds: a segment, the events written together (keyed
 * `<first event's k>~<count>`), or one event (the format before segments, keyed by its `k`).
 */
type Stored = QueueItem[] | QueueItem;

export interface QueueOptions {
  name: string;
  maxEvents: number;
  /** Events per segment at most: a batch's worth, so that delivery takes whole segments (no rewrite of the rest). */
  segmentEvents?: number;
  maxAgeMs: number;
  /** Events removed without delivery (evicted, expired). */
  onDrop: (reason: 'queue-full' | 'expired', items: QueueItem[]) => void;
  /** Storage switched, with the error that caused it. Called on each switch. */
  onStorage: (mode: StorageMode, error?: unknown) => void;
}

/** Pushed but not serialised yet: the key and JSON are made off the hot path, in the writer. */
interface Pending {
  t: number;
  /** Eviction rank, from the catalog: read at push, so the writer's copy in the background chunk needs no catalog. */
  r: number;
  event: Envelope;
}

/** The one store every function works on. */
export interface Queue {
  readonly o: QueueOptions;
  /** The IndexedDB store, opened lazily; dropped after a failure so the next use opens afresh. */
  db?: UseStore;
  mode: StorageMode;
  failedAt: number;
  /** Pushed this task, not yet serialised. */
  pending: Pending[];
  /** The write transactions, one after another. */
  writing: Promise<void>;
  timer?: ReturnType<typeof setTimeout>;
  /** Events held in memory while IndexedDB is unusable. */
  memory: QueueItem[];
  /** This tab's events not yet delivered, for a last send on page hide (bounded). */
  mine: Map<string, QueueItem | Pending>;
  spill: Spill;
  /** Segments this page wrote again under a new key (old → new): an item read before still finds its events. */
  moved: Map<string, string>;
  /** Evict in the write transaction when over `maxEvents` (set by `bound`); the victims. */
  evict?: (store: IDBObjectStore) => Promise<QueueItem[]>;
  // The writer and the transaction live with the store, so the background chunk's functions
  // use shoptrail.js's copies instead of carrying their own (and idb-keyval) again.
  /** Serialise and write the next chunk of what was pushed. */
  write(): Promise<void>;
  /** One IndexedDB transaction, bounded in time; when it fails the queue goes to memory and `orElse` answers. */
  tx<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => T | PromiseLike<T>, orElse: () => T): Promise<T>;
}

/** Events per write task: a put costs ~50 µs in Chromium, so 200 keep a task near 10 ms, far from a 50 ms long task. */
const WRITE_CHUNK = 200;
const RETRY_IDB_MS = 30_000;
const TIMEOUT_MS = 10_000;
/** This tab's events kept in memory for a last send on page hide (bounded). */
const UNSENT_LIMIT = 1000;
/**
 * JSON per segment at most: Chromium stores a larger record as a Blob, which costs the main
 * thread milliseconds to hand to the browser process (a 60 KB segment took 7 ms to put).
 */
const SEGMENT_BYTES = 30 * 1024; // (two fit in a batch's 64 KiB with its envelope)
/** Moved segments remembered. */
const MOVED_LIMIT = 1000;

const pad = (n: number, width: number) => n.toString(36).padStart(width, '0');
// Per bundle: keys made in the background chunk carry a tab id of their own, still unique.
const tab = Math.random().toString(36).slice(2, 8);
let seq = 0;

/** Stored JSON back into envelopes, for listeners. */
export const envelopes = (items: QueueItem[]): Envelope[] => items.map((item) => JSON.parse(item.json) as Envelope);

/** Oldest first; among those, lowest priority (highest rank) first. */
const evictionOrder = (a: QueueItem, b: QueueItem): number => b.r - a.r || (a.k < b.k ? -1 : 1);

export const keyTime = (k: string): number => parseInt(k.slice(0, 9), 36);

/** A segment's key: its first event's key, so segments read oldest first, and its count, so a full one is deleted unread. */
const segmentKey = (items: QueueItem[]): string => `${items[0]!.k}~${items.length.toString(36)}`;

/** Events in the record under `key` (exact: a segment that loses events is written again under a new key). */
const countOf = (key: IDBValidKey): number => {
  const at = String(key).indexOf('~');
  return at < 0 ? 1 : parseInt(String(key).slice(at + 1), 36);
};

/** The events of a stored record, each knowing its record's key. */
const itemsOf = (value: Stored | undefined): QueueItem[] => {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return [{ ...value, s: value.k }];
  return [];
};

/** Every event in the records of `range` (all of them without one). */
const eventsIn = async (store: IDBObjectStore, range?: IDBKeyRange): Promise<QueueItem[]> =>
  ((await promisifyRequest(store.getAll(range))) as Stored[]).flatMap(itemsOf);

/** Put `items` as one segment, under a key that says how many it holds; returns the key. */
const putSegment = (store: IDBObjectStore, items: QueueItem[]): string => {
  const key = segmentKey(items);
  for (const item of items) item.s = key;
  store.put(items, key);
  return key;
};

/** Reject when IndexedDB does not answer: a blocked open never settles otherwise. */
const timed = <T>(p: Promise<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IndexedDB did not answer in time')), TIMEOUT_MS);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });

const fallback = (q: Queue, error: unknown) => {
  q.db = undefined; // a lost connection stays cached in the store; open afresh next time
  q.failedAt = Date.now();
  if (q.mode === 'memory') return;
  q.mode = 'memory';
  q.o.onStorage(q.mode, error);
};

const open = (q: Queue): UseStore | undefined => {
  try {
    return (q.db ??= createStore(`${q.o.name}-queue`, 'events'));
  } catch (error) {
    fallback(q, error); // no indexedDB global at all
    return undefined;
  }
};

const tx = async <T>(q: Queue, mode: IDBTransactionMode, fn: (store: IDBObjectStore) => T | PromiseLike<T>, orElse: () => T): Promise<T> => {
  const use = open(q);
  if (!use) return orElse();
  try {
    return await timed(use(mode, fn));
  } catch (error) {
    fallback(q, error);
    return orElse();
  }
};

const serialise = ({ t, r, event }: Pending): QueueItem => {
  const json = JSON.stringify(event);
  const k = `${pad(t, 9)}.${tab}.${pad(seq++, 6)}`;
  return { k, id: event.id, type: event.type, r, json, bytes: utf8Length(json) };
};

/** The victims when `items` exceed the bound: down to the bound minus a tenth, lowest priority and oldest first. */
const victims = (items: QueueItem[], max: number) => items.sort(evictionOrder).slice(0, items.length - max + Math.ceil(max / 10));

/** Keep the memory queue within bounds with the same policy as the durable one. */
const boundMemory = (q: Queue) => {
  const { maxEvents, maxAgeMs, onDrop } = q.o;
  const cutoff = Date.now() - maxAgeMs;
  const expired = q.memory.filter((item) => keyTime(item.k) < cutoff);
  if (expired.length) {
    q.memory = q.memory.filter((item) => keyTime(item.k) >= cutoff);
    forget(q.spill, expired);
    onDrop('expired', expired);
  }
  if (q.memory.length <= maxEvents) return;
  const doomed = new Set(victims([...q.memory], maxEvents));
  q.memory = q.memory.filter((item) => !doomed.has(item));
  forget(q.spill, [...doomed]);
  onDrop('queue-full', [...doomed]);
};

/** Records, then events, in the store: the keys say how many events each record holds. */
const countEvents = async (store: IDBObjectStore, max?: number): Promise<number> => {
  const records = await promisifyRequest(store.count());
  // No segment holds more than a write chunk: few records cannot be over the bound.
  if (max !== undefined && records * WRITE_CHUNK <= max) return records;
  const keys = await promisifyRequest(store.getAllKeys());
  return keys.reduce((sum: number, key) => sum + countOf(key), 0);
};

/** The key an item's segment has now: a segment that lost events was written again under a new one. */
const segmentOf = (q: Queue, item: QueueItem): string => {
  let key = item.s ?? item.k;
  for (let next = q.moved.get(key); next; next = q.moved.get(key)) key = next;
  return key;
};

/**
 * Take `doomed` out of their segments, in the transaction at hand; the rest of each segment is
 * written again, under a key with its new count, remembered in `q.moved` once the transaction
 * committed (a mapping to a write that never landed would hide the segment).
 */
const takeOut = async (q: Queue, store: IDBObjectStore, doomed: QueueItem[]): Promise<void> => {
  const ids = new Map<string, Set<string>>();
  for (const item of doomed) {
    const key = segmentOf(q, item);
    ids.set(key, (ids.get(key) ?? new Set()).add(item.id));
  }
  const partial: Array<[string, Set<string>, IDBRequest<Stored | undefined>]> = [];
  for (const [key, gone] of ids) {
    // Whole segments go unread; a part means reading the segment and writing the rest again.
    if (gone.size < countOf(key)) partial.push([key, gone, store.get(key)]);
    else store.delete(key);
  }
  const moves: Array<[string, string]> = [];
  for (const [key, gone, request] of partial) {
    const left = itemsOf(await promisifyRequest(request)).filter((item) => !gone.has(item.id));
    store.delete(key);
    if (left.length) moves.push([key, putSegment(store, left)]);
  }
  store.transaction.addEventListener('complete', () => {
    for (const [from, to] of moves) q.moved.set(from, to);
    // Bounded: only items read long ago still need old keys.
    for (const from of q.moved.keys()) if (q.moved.size > MOVED_LIMIT) q.moved.delete(from);
  });
};

/** Evict inside the write transaction when the store grew past its bound: the victims. */
const evict = async (q: Queue, store: IDBObjectStore): Promise<QueueItem[]> => {
  const max = q.o.maxEvents;
  if ((await countEvents(store, max)) <= max) return [];
  // Rare and bounded: read the whole store once, then free a tenth of it at a time.
  const doomed = victims(await eventsIn(store), max);
  await takeOut(q, store, doomed);
  return doomed;
};

/**
 * Keep the store within `maxEvents` on every write from now on. Delivery's part (the background
 * chunk), so that shoptrail.js carries no eviction code: before delivery, nothing leaves the queue
 * to make room for, and a page alone does not track thousands of events in that time.
 */
export const bound = (q: Queue): void => {
  q.evict = (store) => evict(q, store);
};

/** Items grouped by the segment they were cut into. */
const bySegment = (items: QueueItem[]): Map<string, QueueItem[]> => {
  const groups = new Map<string, QueueItem[]>();
  for (const item of items) {
    const key = item.s ?? item.k;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
};

/** Write what the spill or the memory fallback held, one segment per original one; a segment already stored is left as it is. */
const putBack = async (store: IDBObjectStore, items: QueueItem[]): Promise<void> => {
  const groups = bySegment(items);
  const present = [...groups.keys()].map((key) => promisifyRequest(store.getKey(key)));
  let i = 0;
  for (const group of groups.values()) {
    // Stored means its write did commit after all: writing it again would double its events.
    if ((await present[i++]) === undefined) putSegment(store, group);
  }
};

/** Write a chunk of new events (`fresh`) or what earlier pages spilled (`restoring`). */
const writeItems = async (q: Queue, fresh: QueueItem[], restoring: QueueItem[] = []): Promise<void> => {
  const items = fresh.concat(restoring);
  const use = q.mode === 'indexeddb' || Date.now() - q.failedAt > RETRY_IDB_MS ? open(q) : undefined;
  if (use) {
    // While in memory, try IndexedDB again now and then; on success the memory backlog moves over.
    const backlog = q.mode === 'memory' ? q.memory : [];
    try {
      const evicted = await timed(
        use('readwrite', async (store) => {
          await putBack(store, backlog.concat(restoring));
          for (const segment of bySegment(fresh).values()) putSegment(store, segment);
          const evicted = (await q.evict?.(store)) ?? [];
          await promisifyRequest(store.transaction); // durable once committed, not before
          return evicted;
        }),
      );
      forget(q.spill, [...backlog, ...items]);
      if (q.mode === 'memory') {
        q.mode = 'indexeddb';
        q.memory = q.memory.filter((item) => !backlog.includes(item));
        q.o.onStorage(q.mode);
      }
      if (evicted.length) {
        for (const item of evicted) q.mine.delete(item.id);
        q.o.onDrop('queue-full', evicted);
      }
      return;
    } catch (error) {
      fallback(q, error);
    }
  }
  q.memory.push(...items);
  boundMemory(q);
};

const writePending = (q: Queue): Promise<void> => {
  clearTimeout(q.timer);
  q.timer = undefined;
  if (!q.pending.length) return q.writing;
  // Serialise in chunks, one task each, so a burst of thousands never makes a long task.
  const chunk = q.pending.splice(0, WRITE_CHUNK);
  if (q.pending.length) q.timer = setTimeout(q.write, 0);
  // (track() refuses bodies over MAX_BODY_BYTES; an envelope a huge context grows past
  // MAX_EVENT_BYTES still fits a request, and the collector rejects it alone: `rejected`)
  const items = chunk.map(serialise);
  // Cut into segments now: a spill of these events must name the segment they commit in.
  const most = q.o.segmentEvents ?? WRITE_CHUNK;
  for (let start = 0, end = 0, bytes = 0; start < items.length; start = end, bytes = 0) {
    while (end < items.length && (end === start || (end - start < most && bytes + items[end]!.bytes <= SEGMENT_BYTES))) bytes += items[end++]!.bytes;
    const key = segmentKey(items.slice(start, end));
    for (let i = start; i < end; i++) items[i]!.s = key;
  }
  for (const item of items) {
    q.spill.items.set(item.id, item);
    if (q.mine.has(item.id)) q.mine.set(item.id, item);
  }
  q.writing = q.writing.then(() => writeItems(q, items));
  return q.writing;
};

/** A queue on the database of `options.name`; what earlier pages spilled goes back into it. */
export const createQueue = (options: QueueOptions): Queue => {
  const q: Queue = {
    o: options,
    mode: 'indexeddb',
    failedAt: 0,
    pending: [],
    writing: Promise.resolve(),
    memory: [],
    mine: new Map(),
    spill: createSpill(options.name, tab),
    moved: new Map(),
    write: () => writePending(q),
    tx: (mode, fn, orElse) => tx(q, mode, fn, orElse),
  };
  // Under their segments' keys: a segment whose write did commit after all is left as it is, not doubled.
  const restored = takeSpilled(q.spill);
  for (const item of restored) q.spill.items.set(item.id, item);
  if (restored.length) q.writing = q.writing.then(() => writeItems(q, [], restored));
  return q;
};

/** Queue an event; it is written durably in the next task. */
export const push = (q: Queue, event: Envelope): void => {
  const entry = { t: Date.now(), r: rankOf(event.type), event };
  q.pending.push(entry);
  if (q.mine.size < UNSENT_LIMIT) q.mine.set(event.id, entry);
  q.timer ??= setTimeout(q.write, 0);
};

/** Start pending writes now, and resolve when they landed. */
export const settle = (q: Queue): Promise<void> => {
  while (q.pending.length) q.write();
  return q.writing;
};

/** Up to `limit` events, oldest first, after pending writes have landed; expired ones are dropped on the way. */
export const read = async (q: Queue, limit: number): Promise<QueueItem[]> => {
  await settle(q);
  if (q.mode === 'memory') {
    boundMemory(q);
    return q.memory.slice(0, limit);
  }
  const cutoff = pad(Date.now() - q.o.maxAgeMs, 9);
  return q.tx(
    'readwrite',
    async (store) => {
      // Whole segments, as many as hold at most `limit` events (part of the first when it alone
      // holds more): the keys say how many each holds. Delivered whole, a segment is deleted unread.
      const oldest = () => promisifyRequest(store.getAllKeys(null, limit));
      let keys = await oldest();
      // Expired events go first, in the same transaction as the read (the oldest key says whether any are).
      if (keys.length && String(keys[0]) < cutoff) {
        const stale = IDBKeyRange.upperBound(cutoff);
        const expired = await eventsIn(store, stale);
        store.delete(stale);
        if (expired.length) q.o.onDrop('expired', expired);
        keys = await oldest();
      }
      let records = 0;
      for (let events = 0; records < keys.length && (!records || events + countOf(keys[records]!) <= limit); records++) events += countOf(keys[records]!);
      if (!records) return [];
      const stored = (await promisifyRequest(store.getAll(null, records))) as Stored[];
      return stored.flatMap(itemsOf).slice(0, limit);
    },
    () => q.memory.slice(0, limit),
  );
};

/** Forget delivered (or dropped) events. */
export const remove = async (q: Queue, items: QueueItem[]): Promise<void> => {
  if (!items.length) return;
  const keys = items.map((item) => item.k);
  for (const item of items) q.mine.delete(item.id);
  const doomed = new Set(keys);
  q.memory = q.memory.filter((item) => !doomed.has(item.k));
  forget(q.spill, items);
  if (q.mode === 'memory') return;
  // Not removed means sent again later: the collector's dedupe makes that harmless.
  await q.tx(
    'readwrite',
    async (store) => {
      await takeOut(q, store, items);
      await promisifyRequest(store.transaction);
    },
    () => {},
  );
};

/** Events waiting, in storage and about to be written. */
export const size = async (q: Queue): Promise<number> => {
  await q.writing;
  const stored =
    q.mode === 'indexeddb'
      ? await q.tx(
          'readonly',
          (store) => countEvents(store),
          () => 0,
        )
      : 0;
  return stored + q.memory.length + q.pending.length;
};

/** Drop everything, returning what was dropped. */
export const clear = async (q: Queue): Promise<QueueItem[]> => {
  const dropped = [...q.pending.map(serialise), ...q.memory];
  q.pending = [];
  q.memory = [];
  q.mine.clear();
  q.spill.items.clear();
  q.spill.on = false;
  takeSpilled(q.spill, false);
  await q.writing.catch(() => {});
  if (q.mode === 'indexeddb') {
    const all = await q.tx(
      'readwrite',
      async (store) => {
        const all = await eventsIn(store);
        store.clear();
        return all;
      },
      (): QueueItem[] => [],
    );
    dropped.push(...all);
  }
  return dropped;
};

/** This tab's events not yet delivered, oldest first, with their JSON, synchronously (page hide cannot wait). */
export const unsent = (q: Queue): QueueItem[] => {
  const items: QueueItem[] = [];
  // Pending ones are serialised here, where the writer will find them.
  void settle(q);
  for (const value of q.mine.values()) {
    if ('json' in value) items.push(value);
  }
  return items;
};

/** Page hide: serialise what was pushed, and copy what is not yet durable to localStorage. */
export const spill = (q: Queue): void => {
  void settle(q);
  spillNow(q.spill);
};

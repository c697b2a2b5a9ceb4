// The durable queue: events wait in IndexedDB (a database of their own, through idb-keyval)
// until the collector acknowledges them. `push` is synchronous and cheap; the writes of one
// task are coalesced into one transaction in the next task, so a burst of track() calls
// costs one IndexedDB transaction, not one each. When IndexedDB is missing, blocked, broken
// or full, the queue keeps going in memory and says so once.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { rankOf } from './catalog';
import type { Envelope } from './envelope';
import { keysStartingWith, readJson, removeKey, writeJson } from './lib/storage';
import { utf8Length } from './lib/utf8';
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
}

export interface QueueOptions {
  name: string;
  maxEvents: number;
  maxAgeMs: number;
  /** Events removed without delivery (evicted, expired, too large). */
  onDrop: (reason: 'queue-full' | 'expired' | 'too-large', items: QueueItem[]) => void;
  /** Storage switched, with the error that caused it. Called on each switch. */
  onStorage: (mode: StorageMode, error?: unknown) => void;
  /** Largest accepted event, in bytes of JSON. */
  maxEventBytes: number;
}

export interface Queue {
  /** Queue an event; it is written durably in the next task. */
  push(event: Envelope): void;
  /** Up to `limit` events, oldest first, after pending writes have landed. */
  read(limit: number): Promise<QueueItem[]>;
  /** Forget delivered (or dropped) events. */
  remove(items: QueueItem[]): Promise<void>;
  /** Events waiting, in storage and about to be written. */
  size(): Promise<number>;
  /** Drop everything, returning what was dropped. */
  clear(): Promise<QueueItem[]>;
  /** Start pending writes now (page hide), and resolve when they landed. */
  settle(): Promise<void>;
  /** This tab's events not yet delivered, oldest first, with their JSON, synchronously. */
  unsent(): QueueItem[];
  /** Page hide: copy events not yet durable to localStorage, for the next page to restore. */
  spill(): void;
  storage(): StorageMode;
}

/** Events per write task: a put costs ~50 µs in Chromium, so 200 keep a task near 10 ms, far from a 50 ms long task. */
const WRITE_CHUNK = 200;
const RETRY_IDB_MS = 30_000;
const TIMEOUT_MS = 10_000;
/** This tab's events kept in memory for a last send on page hide (bounded). */
const UNSENT_LIMIT = 1000;
/** At most this much JSON is spilled to localStorage on page hide: it is the host site's too. */
const SPILL_BYTES = 128 * 1024;

/** Pushed but not serialised yet: the key and JSON are made off the hot path, in the writer. */
interface Pending {
  t: number;
  event: Envelope;
}

const pad = (n: number, width: number) => n.toString(36).padStart(width, '0');
const tab = Math.random().toString(36).slice(2, 8);
let seq = 0;

/** Stored JSON back into envelopes, for listeners. */
export const envelopes = (items: QueueItem[]): Envelope[] => items.map((item) => JSON.parse(item.json) as Envelope);

/** Oldest first; among those, lowest priority (highest rank) first. */
export const evictionOrder = (a: QueueItem, b: QueueItem): number => b.r - a.r || (a.k < b.k ? -1 : 1);

export const keyTime = (k: string): number => parseInt(k.slice(0, 9), 36);

/** Reject when IndexedDB does not answer: a blocked open never settles otherwise. */
const timed = <T>(p: Promise<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IndexedDB did not answer in time')), TIMEOUT_MS);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });

export const createQueue = (options: QueueOptions): Queue => {
  const { maxEvents, maxAgeMs, onDrop, onStorage, maxEventBytes } = options;
  let db: UseStore | undefined;
  let mode: StorageMode = 'indexeddb';
  let failedAt = 0;
  /** Pushed this task, not yet serialised. */
  let pending: Pending[] = [];
  /** Serialised, waiting for (or in) a write transaction. */
  let writing: Promise<void> = Promise.resolve();
  let writeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Events held in memory while IndexedDB is unusable. */
  let memory: QueueItem[] = [];
  const unsentItems = new Map<string, QueueItem | Pending>();
  /**
   * Serialised events not yet durable: their IndexedDB write has not committed, or they live in
   * memory. A write started on page hide does not commit before the page is gone, so these go
   * to localStorage then (`spill`), under a key of this tab's, until the write commits.
   */
  const fragile = new Map<string, QueueItem>();
  const spillPrefix = `${options.name}-spill-`;
  const spillKey = spillPrefix + tab;
  let spilled = false;

  const saveSpill = () => {
    const items: QueueItem[] = [];
    let bytes = 0;
    for (const item of fragile.values()) {
      if ((bytes += item.bytes) > SPILL_BYTES) break;
      items.push(item);
    }
    spilled = items.length > 0 && writeJson(spillKey, items);
    if (!spilled) removeKey(spillKey);
  };
  const forget = (items: QueueItem[]) => {
    for (const item of items) fragile.delete(item.id);
    if (spilled) saveSpill();
  };

  const open = (): UseStore | undefined => {
    try {
      return (db ??= createStore(`${options.name}-queue`, 'events'));
    } catch (error) {
      fallback(error); // no indexedDB global at all
      return undefined;
    }
  };

  const fallback = (error: unknown) => {
    db = undefined; // a lost connection stays cached in the store; open afresh next time
    failedAt = Date.now();
    if (mode === 'memory') return;
    mode = 'memory';
    onStorage(mode, error);
  };

  /** One IndexedDB transaction, bounded in time; when it fails the queue goes to memory and `orElse` answers. */
  const tx = async <T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => T | PromiseLike<T>, orElse: () => T): Promise<T> => {
    const use = open();
    if (!use) return orElse();
    try {
      return await timed(use(mode, fn));
    } catch (error) {
      fallback(error);
      return orElse();
    }
  };

  const serialise = ({ t, event }: Pending): QueueItem => {
    const json = JSON.stringify(event);
    const k = `${pad(t, 9)}.${tab}.${pad(seq++, 6)}`;
    return { k, id: event.id, type: event.type, r: rankOf(event.type), json, bytes: utf8Length(json) };
  };

  /** Keep the memory queue within bounds with the same policy as the durable one. */
  const boundMemory = () => {
    const cutoff = Date.now() - maxAgeMs;
    const expired = memory.filter((item) => keyTime(item.k) < cutoff);
    if (expired.length) {
      memory = memory.filter((item) => keyTime(item.k) >= cutoff);
      forget(expired);
      onDrop('expired', expired);
    }
    if (memory.length <= maxEvents) return;
    const victims = [...memory].sort(evictionOrder).slice(0, memory.length - maxEvents + Math.ceil(maxEvents / 10));
    const doomed = new Set(victims);
    memory = memory.filter((item) => !doomed.has(item));
    forget(victims);
    onDrop('queue-full', victims);
  };

  /** Evict inside the write transaction when the store grew past its bound. */
  const evict = async (store: IDBObjectStore): Promise<QueueItem[]> => {
    const count = await promisifyRequest(store.count());
    if (count <= maxEvents) return [];
    // Rare and bounded: read the whole store once, then free a tenth of it at a time.
    const all = await promisifyRequest(store.getAll() as IDBRequest<QueueItem[]>);
    const victims = all.sort(evictionOrder).slice(0, count - maxEvents + Math.ceil(maxEvents / 10));
    for (const item of victims) store.delete(item.k);
    return victims;
  };

  const writeItems = async (items: QueueItem[]): Promise<void> => {
    const use = mode === 'indexeddb' || Date.now() - failedAt > RETRY_IDB_MS ? open() : undefined;
    if (use) {
      // While in memory, try IndexedDB again now and then; on success the memory backlog moves over.
      const backlog = mode === 'memory' ? memory : [];
      try {
        const evicted = await timed(
          use('readwrite', async (store) => {
            for (const item of backlog) store.put(item, item.k);
            for (const item of items) store.put(item, item.k);
            const evicted = await evict(store);
            await promisifyRequest(store.transaction); // durable once committed, not before
            return evicted;
          }),
        );
        forget([...backlog, ...items]);
        if (mode === 'memory') {
          mode = 'indexeddb';
          memory = memory.filter((item) => !backlog.includes(item));
          onStorage(mode);
        }
        if (evicted.length) {
          for (const item of evicted) unsentItems.delete(item.id);
          onDrop('queue-full', evicted);
        }
        return;
      } catch (error) {
        fallback(error);
      }
    }
    memory.push(...items);
    boundMemory();
  };

  const writePending = (): Promise<void> => {
    clearTimeout(writeTimer);
    writeTimer = undefined;
    if (!pending.length) return writing;
    // Serialise in chunks, one task each, so a burst of thousands never makes a long task.
    const chunk = pending.splice(0, WRITE_CHUNK);
    if (pending.length) writeTimer = setTimeout(writePending, 0);
    const items: QueueItem[] = [];
    const tooLarge: QueueItem[] = [];
    for (const entry of chunk) {
      const item = serialise(entry);
      if (item.bytes > maxEventBytes) tooLarge.push(item);
      else {
        items.push(item);
        fragile.set(item.id, item);
        if (unsentItems.has(item.id)) unsentItems.set(item.id, item);
      }
    }
    for (const item of tooLarge) unsentItems.delete(item.id);
    if (tooLarge.length) onDrop('too-large', tooLarge);
    writing = writing.then(() => writeItems(items));
    return writing;
  };

  const readStored = async (limit: number): Promise<QueueItem[]> => {
    if (mode === 'memory') {
      boundMemory();
      return memory.slice(0, limit);
    }
    const cutoff = pad(Date.now() - maxAgeMs, 9);
    return tx(
      'readwrite',
      async (store) => {
        // Expired events go first, in the same transaction as the read.
        const stale = IDBKeyRange.upperBound(cutoff);
        const expired = await promisifyRequest(store.getAll(stale) as IDBRequest<QueueItem[]>);
        if (expired.length) {
          store.delete(stale);
          onDrop('expired', expired);
        }
        return promisifyRequest(store.getAll(null, limit) as IDBRequest<QueueItem[]>);
      },
      () => memory.slice(0, limit),
    );
  };

  const queue: Queue = {
    push(event) {
      const entry = { t: Date.now(), event };
      pending.push(entry);
      if (unsentItems.size < UNSENT_LIMIT) unsentItems.set(event.id, entry);
      writeTimer ??= setTimeout(writePending, 0);
    },

    async read(limit) {
      await this.settle();
      return readStored(limit);
    },

    async remove(items) {
      if (!items.length) return;
      const keys = items.map((item) => item.k);
      for (const item of items) unsentItems.delete(item.id);
      const doomed = new Set(keys);
      memory = memory.filter((item) => !doomed.has(item.k));
      forget(items);
      if (mode === 'memory') return;
      // Not removed means sent again later: the collector's dedupe makes that harmless.
      await tx(
        'readwrite',
        (store) => {
          for (const k of keys) store.delete(k);
          return promisifyRequest(store.transaction);
        },
        () => {},
      );
    },

    async size() {
      await writing;
      const stored = mode === 'indexeddb' ? await tx('readonly', (store) => promisifyRequest(store.count()), () => 0) : 0;
      return stored + memory.length + pending.length;
    },

    async clear() {
      const dropped = [...pending.map(serialise), ...memory];
      pending = [];
      memory = [];
      unsentItems.clear();
      fragile.clear();
      spilled = false;
      for (const key of keysStartingWith(spillPrefix)) removeKey(key);
      await writing.catch(() => {});
      if (mode === 'indexeddb') {
        const all = await tx(
          'readwrite',
          async (store) => {
            const all = await promisifyRequest(store.getAll() as IDBRequest<QueueItem[]>);
            store.clear();
            return all;
          },
          (): QueueItem[] => [],
        );
        dropped.push(...all);
      }
      return dropped;
    },

    settle() {
      while (pending.length) writePending();
      return writing;
    },

    unsent() {
      const items: QueueItem[] = [];
      // Pending ones are serialised here, where the writer will find them: page hide cannot wait.
      void this.settle();
      for (const value of unsentItems.values()) {
        if ('json' in value && value.bytes <= maxEventBytes) items.push(value);
      }
      return items;
    },

    spill() {
      while (pending.length) writePending();
      saveSpill();
    },

    storage: () => mode,
  };

  // What earlier pages spilled goes back to IndexedDB under its own keys: an event whose write
  // did commit after all is overwritten, not doubled.
  const restored: QueueItem[] = [];
  for (const key of keysStartingWith(spillPrefix)) {
    const items = readJson<QueueItem[]>(key);
    removeKey(key);
    if (Array.isArray(items)) restored.push(...items.filter((item) => item && typeof item.k === 'string' && typeof item.json === 'string'));
  }
  for (const item of restored) fragile.set(item.id, item);
  if (restored.length) writing = writing.then(() => writeItems(restored));
  return queue;
};

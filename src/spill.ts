// The page-hide spill. An IndexedDB write started on page hide does not commit before the page
// is gone, so the events not yet durable — their write has not committed, or they live in
// memory — are copied to localStorage then, under a key of this tab's, and the next page puts
// them back (src/queue.ts). Owns the `<name>-spill-<tab>` keys of localStorage.
import { keysStartingWith, readJson, removeKey, writeJson } from './lib/storage';
import type { QueueItem } from './queue';

/** At most this much JSON is spilled to localStorage on page hide: it is the host site's too. */
const SPILL_BYTES = 128 * 1024;

export interface Spill {
  /** Serialised events not yet durable, by id. */
  items: Map<string, QueueItem>;
  prefix: string;
  /** This tab's key. */
  key: string;
  /** Whether this tab's key holds a spill now. */
  on: boolean;
}

export const createSpill = (name: string, tab: string): Spill => {
  const prefix = `${name}-spill-`;
  return { items: new Map(), prefix, key: prefix + tab, on: false };
};

/** Copy what is not yet durable to localStorage (page hide), within SPILL_BYTES. */
export const spill = (s: Spill): void => {
  const items: QueueItem[] = [];
  let bytes = 0;
  for (const item of s.items.values()) {
    if ((bytes += item.bytes) > SPILL_BYTES) break;
    items.push(item);
  }
  s.on = items.length > 0 && writeJson(s.key, items);
  if (!s.on) removeKey(s.key);
};

/** These events are durable now, or gone: no longer spilled. */
export const forget = (s: Spill, items: QueueItem[]): void => {
  for (const item of items) s.items.delete(item.id);
  if (s.on) spill(s);
};

/** Take what earlier pages (every tab's) spilled, and remove it; with `keep` false, only remove it. */
export const takeSpilled = (s: Spill, keep = true): QueueItem[] => {
  const taken: QueueItem[] = [];
  for (const key of keysStartingWith(s.prefix)) {
    const items = keep && readJson<QueueItem[]>(key);
    removeKey(key);
    if (Array.isArray(items)) taken.push(...items.filter((item) => item && typeof item.k === 'string' && typeof item.json === 'string'));
  }
  return taken;
};

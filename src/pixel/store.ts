// The pixel's queue: memory, mirrored to the pixel's own `browser.localStorage` (async, the only
// storage a Shopify pixel gets: no DOM, no IndexedDB promise), so events survive the pixel's
// page (each checkout step reloads it). Bounded; the oldest go first.
import type { Envelope } from '../envelope';

export interface PixelStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
}

export interface PixelQueue {
  events: Envelope[];
  /** Add events (the oldest beyond `max` are returned, dropped). */
  push(events: Envelope[]): Envelope[];
  /** Remove these ids (acknowledged or dropped for good). */
  remove(ids: Set<string>): void;
  /** Events stored by an earlier page, added once. */
  restore(): Promise<void>;
}

export const createPixelQueue = (storage: PixelStorage, key: string, max: number): PixelQueue => {
  let events: Envelope[] = [];
  let writing = Promise.resolve();
  // One write at a time, the latest state: storage may be slow, never in the way of tracking.
  const save = () => {
    const json = JSON.stringify(events);
    writing = writing.then(() => storage.setItem(key, json)).catch(() => {});
  };
  return {
    get events() {
      return events;
    },
    push(added) {
      events = events.concat(added);
      const dropped = events.length > max ? events.splice(0, events.length - max) : [];
      save();
      return dropped;
    },
    remove(ids) {
      events = events.filter((event) => !ids.has(event.id));
      save();
    },
    async restore() {
      try {
        const stored = JSON.parse((await storage.getItem(key)) ?? '[]');
        const known = new Set(events.map((event) => event.id));
        if (Array.isArray(stored)) events = stored.filter((event) => event?.id && !known.has(event.id)).concat(events);
      } catch {
        // unreadable: start empty
      }
    },
  };
};

// Which database holds an entity's data: its own `store`, else the config's, else the
// collector's default. Entities that name the same URL share one storage (one pool). Every copy
// of an event reaches the database of its entity, so dedupe needs no coordination.
import { openStorage } from './index';
import type { Storage } from './types';

export interface Stores {
  of(entity: string): Storage;
  /** Each distinct database once. */
  all: Storage[];
  close(): Promise<void>;
}

export const openStores = (entities: Array<{ entity: string; store?: string }>, fallback: string, open = openStorage): Stores => {
  const byUrl = new Map<string, Storage>();
  const byEntity = new Map<string, Storage>();
  const storageAt = (url: string) => byUrl.get(url) ?? byUrl.set(url, open(url)).get(url)!;
  for (const { entity, store } of entities) byEntity.set(entity, storageAt(store ?? fallback));
  return {
    of(entity) {
      const storage = byEntity.get(entity);
      if (!storage) throw new Error(`no store for entity "${entity}"`);
      return storage;
    },
    all: [...byUrl.values()],
    close: async () => {
      await Promise.all([...byUrl.values()].map((storage) => storage.close()));
    },
  };
};

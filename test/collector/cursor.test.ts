// GET /v1/events?after= never skips nor repeats an event, however concurrent transactions
// commit: a reader that polls while writers race sees every event exactly once.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Storage, StoredEvent } from '../../src/collector/storage/types';
import { event } from './support/app';
import { ENGINE, freshStorage } from './support/engine';

let storage: Storage;
afterEach(() => storage?.close());

const stored = (n: number): StoredEvent[] =>
  Array.from({ length: n }, () => {
    const envelope = event();
    return { envelope, json: JSON.stringify(envelope), billable: true };
  });

const insert = (events: StoredEvent[]) =>
  storage.insertBatch({ entity: 'shop', receivedAt: new Date().toISOString(), day: '2026-11-11', events, usageFrom: '', usageTo: '' });

/** Read everything after `cursor`, page by page; returns the ids and the new cursor. */
const drain = async (cursor: string | undefined, limit = 7) => {
  const ids: string[] = [];
  for (;;) {
    const page = await storage.events('shop', { after: cursor, limit });
    if (!page.length) return { ids, cursor };
    ids.push(...page.map((e) => e.id));
    cursor = page[page.length - 1]!.id;
  }
};

describe('the events cursor', () => {
  it('gives a poller every event once while batches commit concurrently', async () => {
    storage = freshStorage();
    const written: string[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 15; i++) {
        const events = stored(1 + ((i * 7) % 13));
        await insert(events);
        written.push(...events.map((e) => e.envelope.id));
      }
    });
    const seen: string[] = [];
    const poller = (async () => {
      let cursor: string | undefined;
      while (writing) {
        const page = await drain(cursor);
        seen.push(...page.ids);
        cursor = page.cursor;
      }
      seen.push(...(await drain(cursor)).ids);
    })();
    await Promise.all(writers);
    writing = false;
    await poller;
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...written].sort());
  });

  it.skipIf(ENGINE !== 'postgres')('holds back what a later transaction committed until an earlier one ends (PostgreSQL)', async () => {
    storage = freshStorage();
    await insert(stored(1)); // migrated, and a first event to start from
    const {
      ids: [first],
    } = await drain(undefined);
    // A slow replica: its transaction starts first (lower xid, lower seq) and commits last.
    const slow = new pg.Client({ connectionString: storage.name });
    await slow.connect();
    try {
      const late = event();
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO events (entity, id, type, anonymous_id, session_id, created_at, received_at, billable, envelope)
         VALUES ('shop', $1, $2, 'anon-1', 'session-1', $3, $3, 1, $4)`,
        [late.id, late.type, late.createdAt, JSON.stringify(late)],
      );
      const [fast] = stored(1);
      await insert([fast!]);
      // The fast one is committed, but a reader must not pass the slow one's place yet.
      const before = await drain(first);
      expect(before.ids).toEqual([]);
      await slow.query('COMMIT');
      const after = await drain(first);
      expect(after.ids.sort()).toEqual([late.id, fast!.envelope.id].sort());
    } finally {
      await slow.end();
    }
  });

  it('matches nothing after an id the entity does not have', async () => {
    storage = freshStorage();
    await insert(stored(3));
    expect(await storage.events('shop', { after: randomUUID() })).toEqual([]);
    expect(await storage.events('other', {})).toEqual([]);
  });
});

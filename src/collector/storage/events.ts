// Writing events, shared by a batch and by the jobs that derive events (cart-abandoned,
// execute-webhook …): insert keyed by (entity, id) ignoring conflicts, and bill the rows really
// inserted, so an event derived twice (two replicas, a retried job) is stored and billed once.
import { lookup } from '../../schema';
import type { Envelope } from '../../schema';
import type { SqlClient } from './sql';
import type { StoredEvent } from './types';

const COLUMNS = 'entity, id, type, anonymous_id, customer_id, session_id, created_at, received_at, billable, bot, envelope';
/** Rows per INSERT: 11 parameters each, well under SQLite's limit of 32,766. */
const ROWS_PER_INSERT = 250;

/** The INSERT of `count` rows: built once per count, so a batch's statement is found by the same string. */
const insertSql = new Map<number, string>();
const insertOf = (count: number): string => {
  let sql = insertSql.get(count);
  if (!sql) {
    const values = Array.from({ length: count }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    sql = `INSERT INTO events (${COLUMNS}) VALUES ${values} ON CONFLICT (entity, id) DO NOTHING RETURNING id`;
    insertSql.set(count, sql);
  }
  return sql;
};

/** Insert events ignoring those already stored; the ids really inserted. */
export const insertEvents = async (tx: SqlClient, entity: string, receivedAt: string, events: StoredEvent[]): Promise<Set<string>> => {
  const inserted = new Set<string>();
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const end = Math.min(i + ROWS_PER_INSERT, events.length);
    const params: unknown[] = [];
    for (let row = i; row < end; row++) {
      const { envelope: e, json, billable, bot } = events[row]!;
      params.push(
        entity,
        e.id,
        e.type,
        // Server events may name a customer and no browser (src/server/envelope.ts).
        e.anonymousId ?? null,
        e.customerId ?? null,
        e.sessionId ?? null,
        e.createdAt,
        receivedAt,
        billable ? 1 : 0,
        bot ? 1 : 0,
        json,
      );
    }
    const ids = await tx.all<{ id: string }>(insertOf(end - i), params);
    for (const { id } of ids) inserted.add(id);
  }
  return inserted;
};

/** Add billable events to a day's usage. */
export const addUsage = async (tx: SqlClient, entity: string, day: string, billable: number): Promise<void> => {
  if (billable <= 0) return;
  await tx.run(
    `INSERT INTO usage_days (entity, day, used) VALUES (?, ?, ?)
     ON CONFLICT (entity, day) DO UPDATE SET used = usage_days.used + excluded.used`,
    [entity, day, billable],
  );
};

/** Count a day's bot events, flagged (stored) and dropped; never in usage. */
export const addBots = async (tx: SqlClient, entity: string, day: string, flagged: number, dropped: number): Promise<void> => {
  if (flagged <= 0 && dropped <= 0) return;
  await tx.run(
    `INSERT INTO bot_days (entity, day, flagged, dropped) VALUES (?, ?, ?, ?)
     ON CONFLICT (entity, day) DO UPDATE SET flagged = bot_days.flagged + excluded.flagged, dropped = bot_days.dropped + excluded.dropped`,
    [entity, day, flagged, dropped],
  );
};

export const toStored = (envelope: Envelope): StoredEvent => ({
  envelope,
  json: JSON.stringify(envelope),
  billable: lookup(envelope.type)?.billable ?? false,
});

/** Store derived events and bill them; the ones really inserted (the others already were). */
export const insertDerived = async (tx: SqlClient, entity: string, receivedAt: string, day: string, events: Envelope[]): Promise<Envelope[]> => {
  if (!events.length) return [];
  const stored = events.map(toStored);
  const inserted = await insertEvents(tx, entity, receivedAt, stored);
  const fresh = stored.filter((s) => inserted.has(s.envelope.id));
  await addUsage(tx, entity, day, fresh.filter((s) => s.billable).length);
  return fresh.map((s) => s.envelope);
};

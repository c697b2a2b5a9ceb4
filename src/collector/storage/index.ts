// A Storage over a SQL database of either engine: the collector's queries, written once, with
// the dialect filling in what differs. open() picks the engine from the store's URL and loads
// its driver only then, so a collector on SQLite needs no pg, and one on PostgreSQL no
// compiled better-sqlite3.
import type { Envelope } from '../../schema';
import { activityLogQuery, toLogEntry } from '../activityLog';
import { requireDriver } from '../drivers';
import { exportPageQuery } from '../export';
import { applyToProfiles, getProfile, listProfiles } from '../profiles';
import { gcra } from '../rateLimit';
import { dialects } from './dialect';
import { migrate } from './migrations';
import { openPostgres, redact } from './postgres';
import { REPORT_TIMEOUT_MS, type SqlClient, type SqlDb } from './sql';
import { openSqlite } from './sqlite';
import type { BatchResult, EventQuery, Storage, StoredEvent, UsageDay } from './types';

export const MAX_READ = 10_000;

const COLUMNS = 'entity, id, type, anonymous_id, customer_id, session_id, created_at, received_at, billable, envelope';
/** Rows per INSERT: 10 parameters each, well under SQLite's limit of 32,766. */
const ROWS_PER_INSERT = 250;

const USAGE = 'SELECT day, used FROM usage_days WHERE entity = ? AND day >= ? AND day < ? ORDER BY day';

/** Insert events ignoring those already stored; the ids really inserted. */
const insertEvents = async (tx: SqlClient, entity: string, receivedAt: string, events: StoredEvent[]): Promise<Set<string>> => {
  const inserted = new Set<string>();
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const rows = events.slice(i, i + ROWS_PER_INSERT);
    const params = rows.flatMap(({ envelope: e, json, billable }) => [
      entity,
      e.id,
      e.type,
      e.anonymousId,
      e.customerId ?? null,
      e.sessionId,
      e.createdAt,
      receivedAt,
      billable ? 1 : 0,
      json,
    ]);
    const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    const ids = await tx.all<{ id: string }>(
      `INSERT INTO events (${COLUMNS}) VALUES ${values} ON CONFLICT (entity, id) DO NOTHING RETURNING id`,
      params,
    );
    for (const { id } of ids) inserted.add(id);
  }
  return inserted;
};

/** The events query: one entity, optional filters, after a cursor, in commit order. */
const eventsQuery = (db: SqlDb, entity: string, query: EventQuery) => {
  const where = ['entity = ?'];
  const params: unknown[] = [entity];
  if (query.type) where.push('type = ?'), params.push(query.type);
  if (query.anonymousId) where.push('anonymous_id = ?'), params.push(query.anonymousId);
  const limit = Math.min(Math.max(1, query.limit ?? 1000), MAX_READ);
  if (db.engine === 'sqlite') {
    // One writer at a time: seq order is commit order. An id this entity does not have
    // matches nothing (a NULL seq), rather than everything.
    if (query.after) where.push('seq > (SELECT seq FROM events WHERE entity = ? AND id = ?)'), params.push(entity, query.after);
    return { sql: `SELECT envelope FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, params: [...params, limit] };
  }
  // Replicas commit out of seq order. Only rows of transactions older than the oldest one still
  // running are read, in (tx, seq) order: nothing can commit later before the cursor.
  where.push('tx < pg_snapshot_xmin(pg_current_snapshot())');
  if (query.after) where.push('(tx, seq) > (SELECT tx, seq FROM events WHERE entity = ? AND id = ?)'), params.push(entity, query.after);
  return { sql: `SELECT envelope FROM events WHERE ${where.join(' AND ')} ORDER BY tx, seq LIMIT ?`, params: [...params, limit] };
};

/** The storage of one SQL database, its schema brought up to date before the first use. */
export const createStorage = (open: () => Promise<SqlDb>, name: string): Storage => {
  let ready: Promise<SqlDb> | undefined;
  /** The database, opened and migrated once; a failed attempt is tried again on the next call. */
  const db = (): Promise<SqlDb> => {
    ready ??= open().then(async (opened) => {
      try {
        await migrate(opened);
        return opened;
      } catch (error) {
        await opened.close().catch(() => undefined);
        throw error;
      }
    });
    ready.catch(() => (ready = undefined));
    return ready;
  };
  const engine = name.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  const dialect = dialects[engine];

  const storage: Storage = {
    engine,
    name,
    async insertBatch({ entity, receivedAt, day, events, usageFrom, usageTo }): Promise<BatchResult> {
      return (await db()).transaction(async (tx) => {
        const inserted = await insertEvents(tx, entity, receivedAt, events);
        let billable = 0;
        const applied = new Set<string>();
        for (const stored of events) {
          const { id } = stored.envelope;
          // Only the first copy of an id in the batch was inserted.
          if (!inserted.has(id) || applied.has(id)) continue;
          applied.add(id);
          if (stored.billable) billable += 1;
          // Profiles follow the first delivery of an identify or a sign-up, in the same transaction.
          await applyToProfiles(tx, dialect.forUpdate, stored.envelope);
        }
        if (billable > 0) {
          await tx.run(
            `INSERT INTO usage_days (entity, day, used) VALUES (?, ?, ?)
             ON CONFLICT (entity, day) DO UPDATE SET used = usage_days.used + excluded.used`,
            [entity, day, billable],
          );
        }
        const usage = await tx.all<UsageDay>(USAGE, [entity, usageFrom, usageTo]);
        return { accepted: inserted.size, duplicates: events.length - inserted.size, usage };
      });
    },
    async events(entity, query = {}) {
      const { sql, params } = eventsQuery(await db(), entity, query);
      const rows = await (await db()).all<{ envelope: string }>(sql, params);
      return rows.map((row) => JSON.parse(row.envelope) as Envelope);
    },
    usageDays: async (entity, from, to) => (await db()).all<UsageDay>(USAGE, [entity, from, to]),
    takeToken: (key, rate, now) => storage.takeTokens([{ bucket: key, rate, cost: 1 }], now),
    async takeTokens(takes, now) {
      return (await db()).transaction(async (tx) => {
        // All or nothing: a request refused by one budget is not charged to the others.
        const planned: Array<{ bucket: string; before: number | undefined; tat: number }> = [];
        let wait = 0;
        for (const { bucket, rate, cost } of takes) {
          const [row] = await tx.all<{ tat: number }>(`SELECT tat FROM rate_buckets WHERE key = ?${dialect.forUpdate}`, [bucket]);
          const before = row && Number(row.tat);
          const taken = gcra(before, now, rate, cost);
          wait = Math.max(wait, taken.wait);
          planned.push({ bucket, before, tat: taken.tat });
        }
        if (wait) return wait;
        for (const { bucket, before, tat } of planned) {
          // Two replicas creating one key's bucket at once: the second adds its request to the first's.
          await tx.run(
            `INSERT INTO rate_buckets (key, tat) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET tat = rate_buckets.tat + (excluded.tat - ?)`,
            [bucket, tat, before ?? now],
          );
        }
        return 0;
      });
    },
    profile: async (entity, customerId) => getProfile(await db(), entity, customerId),
    profiles: async (entity, limit) => listProfiles(await db(), entity, limit),
    async activityLog(entity, customerId) {
      const { sql, params } = activityLogQuery(dialect, entity, customerId);
      return (await (await db()).all<{ envelope: string }>(sql, params)).map((row) => toLogEntry(row.envelope));
    },
    async exportPage(entity, after, limit) {
      const { sql, params } = exportPageQuery(dialect, entity, after, limit);
      return (await db()).all(sql, params);
    },
    report: async ({ sql, params, timeoutMs }) => (await db()).report(sql, params, timeoutMs ?? REPORT_TIMEOUT_MS),
    async ping() {
      await (await db()).all('SELECT 1 AS ok');
    },
    async close() {
      const opened = ready;
      ready = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
  return storage;
};

/** The storage a `store` URL names: `sqlite:path`, `sqlite::memory:` or `postgres://…`. */
export const openStorage = (url: string): Storage => {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return createStorage(async () => openSqlite(await requireDriver('better-sqlite3'), path), url);
  }
  return createStorage(async () => openPostgres(await requireDriver('pg'), url), redact(url));
};

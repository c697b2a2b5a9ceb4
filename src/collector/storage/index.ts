// A Storage over a SQL database of either engine: the collector's queries, written once, with
// the dialect filling in what differs. open() picks the engine from the store's URL and loads
// its driver only then, so a collector on SQLite needs no pg, and one on PostgreSQL no
// compiled better-sqlite3.
import type { Envelope } from '../../schema';
import { activityLogQuery, toLogEntry } from '../activityLog';
import { sumBots } from '../bots';
import { afterBatch, beforeProfiles } from '../derived/batch';
import { abandonDueCarts } from '../derived/cart';
import { evaluateSegments, segmentMembers } from '../derived/segments';
import { requireDriver } from '../drivers';
import { consoleStorage } from '../console/storage';
import { exportPageQuery } from '../export';
import { applyToProfiles, getProfile, listProfiles } from '../profiles';
import { gcra } from '../rateLimit';
import { dayIn } from '../usage';
import { claimWebhooks, deadWebhooks, enqueueWebhooks, retryWebhook, webhookDelivered, webhookFailed } from '../webhooks/outbox';
import { dialects } from './dialect';
import { addBots, addUsage, insertDerived, insertEvents } from './events';
import { migrate } from './migrations';
import { hidePassword } from '../config';
import { openPostgres } from './postgres';
import { REPORT_TIMEOUT_MS, type SqlDb } from './sql';
import { openSqlite } from './sqlite';
import type { BatchResult, EventQuery, Storage, UsageDay } from './types';

export const MAX_READ = 10_000;

const USAGE = 'SELECT day, used FROM usage_days WHERE entity = ? AND day >= ? AND day < ? ORDER BY day';

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

  return {
    ...consoleStorage(db, engine),
    engine,
    name,
    async insertBatch({ entity, receivedAt, day, events, usageFrom, usageTo, platform, botsDropped = 0 }): Promise<BatchResult> {
      return (await db()).transaction(async (tx) => {
        const inserted = await insertEvents(tx, entity, receivedAt, events);
        let billable = 0;
        let bots = 0;
        const applied = new Set<string>();
        const fresh: Envelope[] = [];
        const merges: Envelope[] = [];
        const ctx = { tx, dialect, entity, receivedAt, day, rules: platform };
        for (const stored of events) {
          const { id } = stored.envelope;
          // Only the first copy of an id in the batch was inserted.
          if (!inserted.has(id) || applied.has(id)) continue;
          applied.add(id);
          // A bot's event is kept flagged, and nothing follows from it: no bill, profile, cart or webhook.
          if (stored.bot) {
            bots += 1;
            continue;
          }
          fresh.push(stored.envelope);
          if (stored.billable) billable += 1;
          merges.push(...(await beforeProfiles(ctx, stored.envelope)));
          // Profiles follow the first delivery of an identify or a sign-up, in the same transaction.
          await applyToProfiles(tx, dialect.forUpdate, stored.envelope);
        }
        await addUsage(tx, entity, day, billable);
        await addBots(tx, entity, day, bots, botsDropped);
        // Carts, segments, merges and webhooks (derived/batch.ts); derived events bill themselves.
        await afterBatch(ctx, fresh, merges);
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
    botCounts: async (entity, from, to) =>
      sumBots(await (await db()).all('SELECT flagged, dropped FROM bot_days WHERE entity = ? AND day >= ? AND day < ?', [entity, from, to])),
    async takeTokens(takes, now) {
      return (await db()).transaction(async (tx) => {
        // All or nothing: a request refused by one budget is not charged to the others. One
        // read and one write for all of a request's buckets: round trips are what a replica waits on.
        const keys = takes.map((take) => take.bucket);
        const rows = await tx.all<{ key: string; tat: number }>(
          `SELECT key, tat FROM rate_buckets WHERE key IN (${keys.map(() => '?').join(', ')})${dialect.forUpdate}`,
          keys,
        );
        const before = new Map(rows.map((row) => [row.key, Number(row.tat)]));
        const taken = takes.map(({ bucket, rate, cost }) => ({ bucket, ...gcra(before.get(bucket), now, rate, cost) }));
        const wait = Math.max(0, ...taken.map((t) => t.wait));
        if (wait) return wait;
        // Each bucket moves by what this request costs it, from now or from where it stood (locked
        // above); a bucket two replicas create at once takes both requests.
        await tx.run(
          `INSERT INTO rate_buckets (key, tat) VALUES ${taken.map(() => '(?, ?)').join(', ')}
           ON CONFLICT (key) DO UPDATE SET tat = ${dialect.greatest('rate_buckets.tat', '?')} + (excluded.tat - ?)`,
          [...taken.flatMap(({ bucket, tat }) => [bucket, now + (tat - Math.max(before.get(bucket) ?? now, now))]), now, now],
        );
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
    abandonCarts: async (rules, now, replica) => abandonDueCarts(await db(), dialect, rules, now, replica),
    async sweepSegments(rules, now) {
      if (!rules.segments?.length) return 0;
      const opened = await db();
      let stored = 0;
      for (let after = ''; ; ) {
        const customers = await segmentMembers(opened, rules.entity, after, 200);
        if (!customers.length) return stored;
        for (const customer of customers) {
          // One short transaction per customer: the profile row lock is held only that long.
          stored += await opened.transaction(async (tx) => {
            const events = await evaluateSegments(tx, dialect, rules.entity, customer, rules.segments!, now);
            const at = new Date(now).toISOString();
            const stored = await insertDerived(tx, rules.entity, at, dayIn(now, rules.timeZone), events);
            await enqueueWebhooks(tx, rules.webhooks, stored, now);
            return stored.length;
          });
        }
        after = customers[customers.length - 1]!;
      }
    },
    claimWebhooks: async (entity, now, replica, limit) => claimWebhooks(await db(), dialect, entity, now, replica, limit),
    webhookDelivered: async (rules, item, now) => webhookDelivered(await db(), rules, item, now),
    webhookFailed: async (id, now, error, retryAt) => webhookFailed(await db(), id, now, error, retryAt),
    deadWebhooks: async (entity, limit) => deadWebhooks(await db(), entity, limit),
    retryWebhook: async (entity, id, now) => retryWebhook(await db(), entity, id, now),
    async ping() {
      await (await db()).all('SELECT 1 AS ok');
    },
    async close() {
      const opened = ready;
      ready = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
};

/** The storage a `store` URL names: `sqlite:path`, `sqlite::memory:` or `postgres://…`. */
export const openStorage = (url: string): Storage => {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return createStorage(async () => openSqlite(await requireDriver('better-sqlite3'), path), url);
  }
  return createStorage(async () => openPostgres(await requireDriver('pg'), url), hidePassword(url));
};

// The reads and writes the admin console adds to a Storage: usage by event type, content
// statistics, the latest events, a customer's timeline, profile search and saved reports.
// One SQL text for both engines (dialect.ts fills in what differs), like storage/index.ts.
import type { Envelope } from '../../schema';
import { toProfile } from '../profiles';
import { dialects } from '../storage/dialect';
import type { SqlDb } from '../storage/sql';
import type { Engine } from '../storage/types';
import { CONTENT_TYPES } from './contentKinds';

export interface TypeCount {
  type: string;
  billable: boolean;
  count: number;
}

export interface ContentRow {
  day: string;
  type: string;
  block: string | null;
  name: string | null;
  count: number;
}

export interface SavedReport {
  id: string;
  name: string;
  spec: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface ConsoleStorage {
  /** Events received in [from, to) (ISO times) per type, as billed at receipt. */
  usageByType(entity: string, from: string, to: string): Promise<TypeCount[]>;
  /** Content events created in [from, to), per UTC day, type and block (content or notification id). */
  contentRows(entity: string, from: string, to: string): Promise<ContentRow[]>;
  /** The newest `limit` events, in commit order (the last one is a cursor for GET /v1/events?after=). */
  latestEvents(entity: string, limit: number): Promise<Envelope[]>;
  /** A customer's events (their own and their merged browsers'), newest first. */
  customerEvents(entity: string, customerId: string, limit: number): Promise<Envelope[]>;
  /** Profiles whose customer id or email is, or starts with, `q` (exact matches first). */
  searchProfiles(entity: string, q: string, limit: number): Promise<import('../profiles').Profile[]>;
  savedReports(entity: string): Promise<SavedReport[]>;
  /** Save a report under a name; saving a name again replaces its spec. */
  saveReport(entity: string, report: { id: string; name: string; spec: unknown; at: string }): Promise<SavedReport>;
  deleteSavedReport(entity: string, id: string): Promise<boolean>;
}

const CONTENT_TYPE_LIST = [...CONTENT_TYPES.keys()];

/** LIKE pattern of a prefix, its wildcards escaped. */
const prefix = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type ReportRow = { id: string; name: string; spec: string; created_at: string; updated_at: string };
const toSaved = (row: ReportRow): SavedReport => ({
  id: row.id,
  name: row.name,
  spec: JSON.parse(row.spec),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const consoleStorage = (db: () => Promise<SqlDb>, engine: Engine): ConsoleStorage => {
  const dialect = dialects[engine];
  const all = async <T>(sql: string, params: unknown[]) => (await db()).all<T>(sql, params);
  return {
    async usageByType(entity, from, to) {
      const rows = await all<{ type: string; billable: number; n: number }>(
        `SELECT type, billable, count(*) AS n FROM events WHERE entity = ? AND received_at >= ? AND received_at < ?
         GROUP BY type, billable ORDER BY n DESC, type`,
        [entity, from, to],
      );
      return rows.map((r) => ({ type: r.type, billable: Number(r.billable) === 1, count: Number(r.n) }));
    },
    async contentRows(entity, from, to) {
      // The block: a web content's id, a push's notification id, a platform message's campaign.
      const paths = [
        ['body', 'contentId'],
        ['body', 'notificationId'],
        ['body', 'campaignId'],
      ].map((p) => dialect.text('envelope', p));
      const names = [
        ['body', 'name'],
        ['body', 'topic'],
        ['body', 'subject'],
      ].map((p) => dialect.text('envelope', p));
      const rows = await all<{ day: string; type: string; block: string | null; name: string | null; n: number }>(
        `SELECT substr(created_at, 1, 10) AS day, type, COALESCE(${paths.map((p) => p.sql).join(', ')}) AS block,
           MAX(COALESCE(${names.map((p) => p.sql).join(', ')})) AS name, count(*) AS n
         FROM events WHERE entity = ? AND type IN (${CONTENT_TYPE_LIST.map(() => '?').join(', ')}) AND created_at >= ? AND created_at < ?
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [...paths.flatMap((p) => p.params), ...names.flatMap((p) => p.params), entity, ...CONTENT_TYPE_LIST, from, to],
      );
      return rows.map((r) => ({ day: r.day, type: r.type, block: r.block, name: r.name, count: Number(r.n) }));
    },
    async latestEvents(entity, limit) {
      // The same visibility as GET /v1/events (storage/index.ts), read from the other end: on
      // PostgreSQL only rows older than every running transaction, so the cursor never skips.
      const sql =
        engine === 'sqlite'
          ? 'SELECT envelope FROM events WHERE entity = ? ORDER BY seq DESC LIMIT ?'
          : 'SELECT envelope FROM events WHERE entity = ? AND tx < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY tx DESC, seq DESC LIMIT ?';
      const rows = await all<{ envelope: string }>(sql, [entity, limit]);
      return rows.reverse().map((r) => JSON.parse(r.envelope) as Envelope);
    },
    async customerEvents(entity, customerId, limit) {
      const rows = await all<{ envelope: string }>(
        `SELECT envelope FROM events WHERE entity = ? AND (customer_id = ? OR anonymous_id IN
           (SELECT anonymous_id FROM profile_aliases WHERE entity = ? AND customer_id = ?))
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [entity, customerId, entity, customerId, limit],
      );
      return rows.map((r) => JSON.parse(r.envelope) as Envelope);
    },
    async searchProfiles(entity, q, limit) {
      const like = prefix(q.toLowerCase());
      const rows = await all<Parameters<typeof toProfile>[0] & { exact: number | boolean }>(
        `SELECT *, CASE WHEN customer_id = ? OR lower(email) = ? THEN 1 ELSE 0 END AS exact FROM profiles
         WHERE entity = ? AND (lower(customer_id) LIKE ? ESCAPE '\\' OR lower(email) LIKE ? ESCAPE '\\')
         ORDER BY exact DESC, updated_at DESC, customer_id LIMIT ?`,
        [q, q.toLowerCase(), entity, like, like, limit],
      );
      return rows.map(toProfile);
    },
    async savedReports(entity) {
      const rows = await all<ReportRow>('SELECT * FROM saved_reports WHERE entity = ? ORDER BY updated_at DESC, name', [entity]);
      return rows.map(toSaved);
    },
    async saveReport(entity, { id, name, spec, at }) {
      const [row] = await all<ReportRow>(
        `INSERT INTO saved_reports (entity, id, name, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (entity, name) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at
         RETURNING *`,
        [entity, id, name, JSON.stringify(spec), at, at],
      );
      return toSaved(row!);
    },
    async deleteSavedReport(entity, id) {
      return (await (await db()).run('DELETE FROM saved_reports WHERE entity = ? AND id = ?', [entity, id])) > 0;
    },
  };
};

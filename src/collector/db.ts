// The collector's storage: SQLite through better-sqlite3, WAL so readers (tests, the admin
// API) never block the writer. Events are keyed by their id, so a retried batch stores
// nothing twice; usage per entity and day, and profiles (profiles.ts), are updated in the
// same transaction.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Envelope } from '../schema';
import { applyToProfiles, migrate } from './profiles';

export interface StoredEvent {
  envelope: Envelope;
  /** The envelope as JSON, as stored. */
  json: string;
  billable: boolean;
}

export interface EventQuery {
  type?: string;
  anonymousId?: string;
  /** Only events that arrived after this one (its id): a cursor for polling readers. */
  after?: string;
  limit?: number;
}

export interface Store {
  /** Store one batch in one transaction; what was already stored counts as a duplicate. */
  insertBatch(entity: string, receivedAt: string, day: string, events: StoredEvent[]): { accepted: number; duplicates: number };
  /** An entity's events in arrival order. */
  events(entity: string, query?: EventQuery): Envelope[];
  /** Billable events accepted per day, days from `from` (inclusive) to `to` (exclusive). */
  usageDays(entity: string, from: string, to: string): { day: string; used: number }[];
  close(): void;
  path: string;
  /** The connection, for the admin read routes (profiles, log, export, reports). */
  db: Database.Database;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  entity TEXT NOT NULL,
  type TEXT NOT NULL,
  anonymous_id TEXT,
  customer_id TEXT,
  session_id TEXT,
  created_at TEXT,
  received_at TEXT NOT NULL,
  billable INTEGER NOT NULL,
  envelope TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_entity ON events (entity, type);
CREATE INDEX IF NOT EXISTS events_by_visitor ON events (entity, anonymous_id);
CREATE TABLE IF NOT EXISTS usage_days (
  entity TEXT NOT NULL,
  day TEXT NOT NULL,
  used INTEGER NOT NULL,
  PRIMARY KEY (entity, day)
);
`;

export const MAX_READ = 10_000;

export const openStore = (path: string): Store => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL survives a process crash; only a power cut may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  migrate(db);

  const insert = db.prepare(
    `INSERT OR IGNORE INTO events (id, entity, type, anonymous_id, customer_id, session_id, created_at, received_at, billable, envelope)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const count = db.prepare(
    `INSERT INTO usage_days (entity, day, used) VALUES (?, ?, ?)
     ON CONFLICT (entity, day) DO UPDATE SET used = used + excluded.used`,
  );
  // One prepared statement per filter shape (four at most).
  const reads = new Map<string, Database.Statement>();
  const days = db.prepare(`SELECT day, used FROM usage_days WHERE entity = ? AND day >= ? AND day < ? ORDER BY day`);

  const insertBatch = db.transaction((entity: string, receivedAt: string, day: string, events: StoredEvent[]) => {
    let accepted = 0;
    let billable = 0;
    for (const { envelope: e, json, billable: bills } of events) {
      const row = [e.id, entity, e.type, e.anonymousId, e.customerId ?? null, e.sessionId, e.createdAt, receivedAt, bills ? 1 : 0];
      if (insert.run(...row, json).changes === 1) {
        accepted += 1;
        if (bills) billable += 1;
        // Profiles follow the first delivery of an identify or a sign-up, in the same transaction.
        applyToProfiles(db, e);
      }
    }
    if (billable > 0) count.run(entity, day, billable);
    return { accepted, duplicates: events.length - accepted };
  });

  return {
    insertBatch: (entity, receivedAt, day, events) => insertBatch(entity, receivedAt, day, events),
    events(entity, query = {}) {
      const where = ['entity = ?'];
      const params: (string | number)[] = [entity];
      if (query.type) where.push('type = ?'), params.push(query.type);
      if (query.anonymousId) where.push('anonymous_id = ?'), params.push(query.anonymousId);
      // An id this entity does not have matches nothing (a NULL rowid), rather than everything.
      if (query.after) where.push('rowid > (SELECT rowid FROM events WHERE id = ? AND entity = ?)'), params.push(query.after, entity);
      const limit = Math.min(Math.max(1, query.limit ?? 1000), MAX_READ);
      const sql = `SELECT envelope FROM events WHERE ${where.join(' AND ')} ORDER BY rowid LIMIT ?`;
      const statement = reads.get(sql) ?? reads.set(sql, db.prepare(sql)).get(sql)!;
      const rows = statement.all(...params, limit) as { envelope: string }[];
      return rows.map((row) => JSON.parse(row.envelope) as Envelope);
    },
    usageDays: (entity, from, to) => days.all(entity, from, to) as { day: string; used: number }[],
    close: () => db.close(),
    path,
    db,
  };
};

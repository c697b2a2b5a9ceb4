// The collector's schema, as numbered migrations per engine, applied at start-up in order and
// recorded in `shoptrail_migrations`. A migration is never edited once released: a change is
// a new one. On PostgreSQL, replicas starting together take turns (an advisory lock).
import type { SqlClient, SqlDb } from './sql';
import type { Engine } from './types';

type Migration = { version: number; name: string; sql: string };

// The events table keeps the envelope as JSON text (as sent, keys in order); queries read
// values out of it. Dedupe key: (entity, id), so one entity can never claim another's ids.
const sqlite: Migration[] = [
  {
    version: 1,
    name: 'events, usage, profiles (as the demo collector created them)',
    sql: `
      CREATE TABLE IF NOT EXISTS events (
        id TEXT PRIMARY KEY, entity TEXT NOT NULL, type TEXT NOT NULL, anonymous_id TEXT, customer_id TEXT,
        session_id TEXT, created_at TEXT, received_at TEXT NOT NULL, billable INTEGER NOT NULL, envelope TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS usage_days (entity TEXT NOT NULL, day TEXT NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (entity, day));
      CREATE TABLE IF NOT EXISTS profiles (
        entity TEXT NOT NULL, customer_id TEXT NOT NULL, email TEXT, attributes TEXT NOT NULL DEFAULT '{}',
        subscriptions TEXT NOT NULL DEFAULT '{}', anonymous_ids TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (entity, customer_id));
      CREATE TABLE IF NOT EXISTS profile_aliases (
        entity TEXT NOT NULL, anonymous_id TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (entity, anonymous_id));
      CREATE INDEX IF NOT EXISTS profile_aliases_customer ON profile_aliases (entity, customer_id);`,
  },
  {
    version: 2,
    // seq is the rowid, named so that VACUUM keeps it: the cursor of GET /v1/events. One writer
    // at a time (SQLite's lock) makes seq order the commit order.
    name: 'events keyed by (entity, id) with a sequence; shared rate buckets',
    sql: `
      CREATE TABLE events_v2 (
        seq INTEGER PRIMARY KEY, entity TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, anonymous_id TEXT,
        customer_id TEXT, session_id TEXT, created_at TEXT NOT NULL, received_at TEXT NOT NULL,
        billable INTEGER NOT NULL, envelope TEXT NOT NULL, UNIQUE (entity, id));
      INSERT INTO events_v2 (entity, id, type, anonymous_id, customer_id, session_id, created_at, received_at, billable, envelope)
        SELECT entity, id, type, anonymous_id, customer_id, session_id, coalesce(created_at, received_at), received_at, billable, envelope
        FROM events ORDER BY rowid;
      DROP TABLE events;
      ALTER TABLE events_v2 RENAME TO events;
      CREATE INDEX events_by_type ON events (entity, type);
      CREATE INDEX events_by_visitor ON events (entity, anonymous_id);
      CREATE INDEX events_by_time ON events (entity, created_at, id);
      CREATE INDEX events_by_customer ON events (entity, customer_id);
      CREATE INDEX events_by_subject ON events (entity, json_extract(envelope, '$.body.properties.userId'));
      CREATE TABLE IF NOT EXISTS rate_buckets (key TEXT PRIMARY KEY, tat REAL NOT NULL);`,
  },
];

// tx is the inserting transaction's id: GET /v1/events returns only rows of transactions older
// than the oldest one still running, in (tx, seq) order, so a reader never skips a row that a
// slower replica commits later with a smaller seq.
const postgres: Migration[] = [
  {
    version: 2,
    name: 'events keyed by (entity, id) with commit-safe cursor columns, usage, profiles, rate buckets',
    sql: `
      CREATE TABLE events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY, tx XID8 NOT NULL DEFAULT pg_current_xact_id(),
        entity TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, anonymous_id TEXT, customer_id TEXT, session_id TEXT,
        created_at TEXT NOT NULL, received_at TEXT NOT NULL, billable INTEGER NOT NULL, envelope TEXT NOT NULL,
        PRIMARY KEY (entity, id));
      CREATE INDEX events_cursor ON events (entity, tx, seq);
      CREATE INDEX events_by_type ON events (entity, type);
      CREATE INDEX events_by_visitor ON events (entity, anonymous_id);
      CREATE INDEX events_by_time ON events (entity, created_at, id);
      CREATE INDEX events_by_customer ON events (entity, customer_id);
      CREATE INDEX events_by_subject ON events (entity, (envelope::jsonb #>> '{body,properties,userId}'));
      CREATE TABLE usage_days (entity TEXT NOT NULL, day TEXT NOT NULL, used BIGINT NOT NULL, PRIMARY KEY (entity, day));
      CREATE TABLE profiles (
        entity TEXT NOT NULL, customer_id TEXT NOT NULL, email TEXT, attributes TEXT NOT NULL DEFAULT '{}',
        subscriptions TEXT NOT NULL DEFAULT '{}', anonymous_ids TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (entity, customer_id));
      CREATE TABLE profile_aliases (
        entity TEXT NOT NULL, anonymous_id TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (entity, anonymous_id));
      CREATE INDEX profile_aliases_customer ON profile_aliases (entity, customer_id);
      CREATE TABLE rate_buckets (key TEXT PRIMARY KEY, tat DOUBLE PRECISION NOT NULL);`,
  },
];

// Version 3 (issue 16), the same text for both engines: the cart episodes the cart-abandoned job
// claims, segment membership, and the webhook outbox. Times are ISO strings (they sort as text).
// A partial unique index keeps one open cart episode per visitor, however replicas race.
const PLATFORM: Migration = {
  version: 3,
  name: 'platform: cart episodes, segment members, webhook outbox, profiles by email',
  sql: `
    ALTER TABLE profiles ADD COLUMN segments TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX profiles_by_email ON profiles (entity, email);
    CREATE TABLE cart_watch (
      entity TEXT NOT NULL, subject TEXT NOT NULL, episode TEXT NOT NULL, anonymous_id TEXT, customer_id TEXT,
      started_at TEXT NOT NULL, last_added_at TEXT NOT NULL, due_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'open',
      claimed_by TEXT, claimed_at TEXT, PRIMARY KEY (entity, subject, episode));
    CREATE UNIQUE INDEX cart_watch_open ON cart_watch (entity, subject) WHERE state = 'open';
    CREATE INDEX cart_watch_due ON cart_watch (entity, state, due_at);
    CREATE TABLE segment_members (
      entity TEXT NOT NULL, customer_id TEXT NOT NULL, segment TEXT NOT NULL, entered_at TEXT NOT NULL,
      PRIMARY KEY (entity, customer_id, segment));
    CREATE INDEX segment_members_by_segment ON segment_members (entity, segment);
    CREATE TABLE webhook_outbox (
      id TEXT PRIMARY KEY, entity TEXT NOT NULL, rule TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
      url TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL, next_at TEXT NOT NULL, give_up_at TEXT NOT NULL, claimed_by TEXT, lease_until TEXT,
      last_error TEXT, delivered_at TEXT, UNIQUE (entity, rule, event_id));
    CREATE INDEX webhook_outbox_due ON webhook_outbox (entity, state, next_at);`,
};

// Version 5 (issue 17), the same text for both engines: bot events (src/collector/bots.ts) are
// stored flagged, and counted apart per day, flagged or dropped, never in usage_days.
const BOTS: Migration = {
  version: 5,
  name: 'bots: events flagged as a bot; bot events per day, flagged and dropped',
  sql: `
    ALTER TABLE events ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE bot_days (
      entity TEXT NOT NULL, day TEXT NOT NULL, flagged BIGINT NOT NULL DEFAULT 0, dropped BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (entity, day));`,
};

// Version 4 (issue 14), the same text for both engines: the admin console's saved reports, and
// the cycle's events by receipt time (usage by type counts what was billed, and billing follows
// the day of receipt).
const CONSOLE: Migration = {
  version: 4,
  name: 'saved reports of the admin console; events by receipt time',
  sql: `
    CREATE TABLE saved_reports (
      entity TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (entity, id), UNIQUE (entity, name));
    CREATE INDEX events_by_received ON events (entity, received_at);`,
};

/** An engine's migrations in the order they apply. */
const inOrder = (list: Migration[]) => list.sort((a, b) => a.version - b.version);
const migrations: Record<Engine, Migration[]> = {
  sqlite: inOrder([...sqlite, PLATFORM, CONSOLE, BOTS]),
  postgres: inOrder([...postgres, PLATFORM, CONSOLE, BOTS]),
};

/** The latest schema version of an engine. */
export const SCHEMA_VERSION = 5;

const applied = async (tx: SqlClient): Promise<Set<number>> =>
  new Set((await tx.all<{ version: number }>('SELECT version FROM shoptrail_migrations')).map((row) => Number(row.version)));

/** Bring a database to the latest schema; returns the versions applied now. */
export const migrate = async (db: SqlDb): Promise<number[]> =>
  db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.all("SELECT pg_advisory_xact_lock(hashtext('shoptrail_migrations'))");
    await tx.run('CREATE TABLE IF NOT EXISTS shoptrail_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = await applied(tx);
    const now: number[] = [];
    for (const migration of migrations[db.engine]) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.sql
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean))
        await tx.run(statement);
      await tx.run('INSERT INTO shoptrail_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, new Date().toISOString()]);
      now.push(migration.version);
    }
    return now;
  });

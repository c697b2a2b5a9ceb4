// Profiles (seed 003): one per entity and customer, with the email, attributes and opt-in
// subscriptions `identify(customerId, traits)` sent (and newsletter sign-ups added), and the
// anonymous browsers it absorbed.
// Every read takes the entity: entities partition the data and never see each other's.
import type { Database } from 'better-sqlite3';
import type { Envelope } from '../schema';

export interface Profile {
  entity: string;
  customerId: string;
  email?: string;
  attributes: Record<string, unknown>;
  subscriptions: Record<string, boolean>;
  anonymousIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** Create the profile tables (idempotent). `profile_aliases` maps a browser to its customer. */
export const migrate = (db: Database): void => {
  db.exec(`
    CREATE TABLE IF NOT EXISTS profiles (
      entity TEXT NOT NULL,
      customer_id TEXT NOT NULL,
      email TEXT,
      attributes TEXT NOT NULL DEFAULT '{}',
      subscriptions TEXT NOT NULL DEFAULT '{}',
      anonymous_ids TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (entity, customer_id)
    );
    CREATE TABLE IF NOT EXISTS profile_aliases (
      entity TEXT NOT NULL,
      anonymous_id TEXT NOT NULL,
      customer_id TEXT NOT NULL,
      PRIMARY KEY (entity, anonymous_id)
    );
    CREATE INDEX IF NOT EXISTS profile_aliases_customer ON profile_aliases (entity, customer_id);
    -- On the collector's events table: the export reads an entity's events in time order, page
    -- by page; without this each page would sort them all again (100k events: 48 s, not 1 s).
    CREATE INDEX IF NOT EXISTS events_by_time ON events (entity, created_at, id);
    -- A customer's events, and those naming them as the subscriber (the activity log).
    CREATE INDEX IF NOT EXISTS events_by_customer ON events (entity, customer_id);
    CREATE INDEX IF NOT EXISTS events_by_subject ON events (entity, ${SUBJECT});
  `);
};

/** The subscriber a lifecycle event names (`properties.userId`), as indexed: queries must spell it alike. */
export const SUBJECT = "json_extract(envelope, '$.body.properties.userId')";

const KNOWN = new Set(['email', 'attributes', 'subscriptions']);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Attribute values a profile keeps: flat ones, which reports can group by. */
const isFlat = (value: unknown): boolean =>
  value === null || typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 1000);

/** Split identify traits: known keys, and any other top-level trait taken as an attribute. */
const readTraits = (traits: unknown) => {
  const t = isRecord(traits) ? traits : {};
  const extra = Object.fromEntries(Object.entries(t).filter(([key]) => !KNOWN.has(key)));
  const subscriptions = Object.fromEntries(
    Object.entries(isRecord(t.subscriptions) ? t.subscriptions : {}).filter(([, on]) => typeof on === 'boolean'),
  ) as Record<string, boolean>;
  return {
    email: typeof t.email === 'string' ? t.email : undefined,
    attributes: Object.fromEntries(
      Object.entries({ ...extra, ...(isRecord(t.attributes) ? t.attributes : {}) }).filter(([, value]) => isFlat(value)),
    ),
    subscriptions,
  };
};

const parse = <T>(json: string, fallback: T): T => {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

interface Row {
  entity: string;
  customer_id: string;
  email: string | null;
  attributes: string;
  subscriptions: string;
  anonymous_ids: string;
  created_at: string;
  updated_at: string;
}

const toProfile = (row: Row): Profile => ({
  entity: row.entity,
  customerId: row.customer_id,
  ...(row.email ? { email: row.email } : {}),
  attributes: parse(row.attributes, {}),
  subscriptions: parse(row.subscriptions, {}),
  anonymousIds: parse(row.anonymous_ids, []),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The profile of a customer in one entity, or undefined. */
export const getProfile = (db: Database, entity: string, customerId: string): Profile | undefined => {
  const row = db.prepare('SELECT * FROM profiles WHERE entity = ? AND customer_id = ?').get(entity, customerId) as Row | undefined;
  return row && toProfile(row);
};

/** Profiles of one entity, most recently updated first. */
export const listProfiles = (db: Database, entity: string, limit = 100): Profile[] =>
  (db.prepare('SELECT * FROM profiles WHERE entity = ? ORDER BY updated_at DESC, customer_id LIMIT ?').all(entity, limit) as Row[]).map(
    toProfile,
  );

/** Insert or replace a profile. */
const save = (db: Database, p: Profile): void => {
  db.prepare(
    `INSERT INTO profiles (entity, customer_id, email, attributes, subscriptions, anonymous_ids, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (entity, customer_id) DO UPDATE SET email = excluded.email, attributes = excluded.attributes,
       subscriptions = excluded.subscriptions, anonymous_ids = excluded.anonymous_ids,
       created_at = excluded.created_at, updated_at = excluded.updated_at`,
  ).run(
    p.entity,
    p.customerId,
    p.email ?? null,
    JSON.stringify(p.attributes),
    JSON.stringify(p.subscriptions),
    JSON.stringify(p.anonymousIds),
    p.createdAt,
    p.updatedAt,
  );
};

/** The first seen of two ISO times, and the last. */
const earliest = (a: string | undefined, b: string) => (a && a < b ? a : b);
const latest = (a: string | undefined, b: string) => (a && a > b ? a : b);

/** What a `newsletter-subscribe` body opts in to: its list ("newsletter" when unnamed), and the email given. */
const signUpOf = (event: Envelope) => {
  const body = event.body as { list?: unknown; email?: unknown };
  return {
    list: typeof body.list === 'string' && body.list ? body.list : 'newsletter',
    email: typeof body.email === 'string' ? body.email : undefined,
  };
};

/** Sign-ups a browser made before it identified, oldest first. */
const anonymousSignUps = (db: Database, entity: string, anonymousId: string): Envelope[] =>
  (
    db
      .prepare(
        `SELECT envelope FROM events WHERE entity = ? AND anonymous_id = ? AND type = 'newsletter-subscribe'
         AND customer_id IS NULL ORDER BY created_at`,
      )
      .all(entity, anonymousId) as { envelope: string }[]
  ).map((row) => JSON.parse(row.envelope) as Envelope);

/**
 * Apply a stored `entity-identified` event: create or merge the customer's profile (email
 * replaced, attributes and opt-ins merged key by key) and attach the browser's anonymous id,
 * so what it did before logging in counts for this customer. Newsletter sign-ups the browser
 * made before, anonymously, become the customer's opt-ins (the identify's own traits, newer,
 * win). Other events are ignored.
 */
export const applyIdentify = (db: Database, event: Envelope): Profile | undefined => {
  if (event.type !== 'entity-identified') return undefined;
  const body = event.body as { customerId?: unknown; traits?: unknown };
  if (typeof body.customerId !== 'string' || !body.customerId) return undefined;
  const customerId = body.customerId;
  const traits = readTraits(body.traits);
  return db.transaction(() => {
    const now = event.createdAt;
    const before = getProfile(db, event.entity, customerId);
    const anonymousIds = before?.anonymousIds ?? [];
    if (!anonymousIds.includes(event.anonymousId)) anonymousIds.push(event.anonymousId);
    // The first customer a browser identified as keeps its anonymous history.
    const aliased =
      db
        .prepare('INSERT OR IGNORE INTO profile_aliases (entity, anonymous_id, customer_id) VALUES (?, ?, ?)')
        .run(event.entity, event.anonymousId, customerId).changes === 1;
    const signUps = aliased ? anonymousSignUps(db, event.entity, event.anonymousId).map(signUpOf) : [];
    const next: Profile = {
      entity: event.entity,
      customerId,
      email: traits.email ?? before?.email ?? signUps.find((s) => s.email)?.email,
      attributes: { ...before?.attributes, ...traits.attributes },
      subscriptions: {
        ...before?.subscriptions,
        ...Object.fromEntries(signUps.map((s) => [s.list, true])),
        ...traits.subscriptions,
      },
      anonymousIds,
      createdAt: earliest(before?.createdAt, now),
      updatedAt: latest(before?.updatedAt, now),
    };
    save(db, next);
    return next;
  })();
};

/**
 * Apply a stored `newsletter-subscribe` event: the customer it belongs to (the event's own, else
 * the one its browser identified as) opts in to the list, and the profile takes the email when
 * it has none. A browser that has not identified yet opts in when it does (applyIdentify).
 */
export const applyNewsletter = (db: Database, event: Envelope): Profile | undefined => {
  if (event.type !== 'newsletter-subscribe') return undefined;
  const alias = db
    .prepare('SELECT customer_id FROM profile_aliases WHERE entity = ? AND anonymous_id = ?')
    .get(event.entity, event.anonymousId) as { customer_id: string } | undefined;
  const customerId = event.customerId ?? alias?.customer_id;
  if (!customerId) return undefined;
  const { list, email } = signUpOf(event);
  return db.transaction(() => {
    const before = getProfile(db, event.entity, customerId);
    const next: Profile = {
      entity: event.entity,
      customerId,
      email: before?.email ?? email,
      attributes: before?.attributes ?? {},
      subscriptions: { ...before?.subscriptions, [list]: true },
      anonymousIds: before?.anonymousIds ?? [event.anonymousId],
      createdAt: earliest(before?.createdAt, event.createdAt),
      updatedAt: latest(before?.updatedAt, event.createdAt),
    };
    save(db, next);
    return next;
  })();
};

/** Apply a stored event to the profiles: identify and newsletter sign-ups change them. */
export const applyToProfiles = (db: Database, event: Envelope): void => {
  if (event.type === 'entity-identified') applyIdentify(db, event);
  else if (event.type === 'newsletter-subscribe') applyNewsletter(db, event);
};

/** SQL expression (joined `LEFT JOIN profile_aliases a ON a.entity = e.entity AND a.anonymous_id = e.anonymous_id`) of an event's customer. */
export const CONTACT_OF_EVENT = 'COALESCE(e.customer_id, a.customer_id)';
export const JOIN_ALIASES = 'LEFT JOIN profile_aliases a ON a.entity = e.entity AND a.anonymous_id = e.anonymous_id';

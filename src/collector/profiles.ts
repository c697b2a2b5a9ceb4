// Profiles (seed 003): one per entity and customer, with the email, attributes and opt-in
// subscriptions `identify(customerId, traits)` sent (and newsletter sign-ups added), and the
// anonymous browsers it absorbed.
// Every read takes the entity: entities partition the data and never see each other's.
import type { Envelope } from '../schema';
import type { SqlClient } from './storage/sql';

export interface Profile {
  entity: string;
  customerId: string;
  email?: string;
  attributes: Record<string, unknown>;
  subscriptions: Record<string, boolean>;
  anonymousIds: string[];
  /** Segments it belongs to (derived/segments.ts), listed when it belongs to any. */
  segments?: string[];
  createdAt: string;
  updatedAt: string;
}

const KNOWN = new Set(['email', 'attributes', 'subscriptions']);
const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Attribute values a profile keeps: flat ones, which reports can group by. */
const isFlat = (value: unknown): boolean =>
  value === null || typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 1000);

/** Split identify traits: known keys, and any other top-level trait taken as an attribute. */
const readTraits = (traits: unknown) => {
  const t = isRecord(traits) ? traits : {};
  const extra = Object.fromEntries(Object.entries(t).filter(([key]) => !KNOWN.has(key)));
  const subscriptions = Object.fromEntries(Object.entries(isRecord(t.subscriptions) ? t.subscriptions : {}).filter(([, on]) => typeof on === 'boolean')) as Record<
    string,
    boolean
  >;
  return {
    email: typeof t.email === 'string' ? t.email : undefined,
    attributes: Object.fromEntries(Object.entries({ ...extra, ...(isRecord(t.attributes) ? t.attributes : {}) }).filter(([, value]) => isFlat(value))),
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
  segments?: string;
  created_at: string;
  updated_at: string;
}

export const toProfile = (row: Row): Profile => ({
  entity: row.entity,
  customerId: row.customer_id,
  ...(row.email ? { email: row.email } : {}),
  attributes: parse(row.attributes, {}),
  subscriptions: parse(row.subscriptions, {}),
  anonymousIds: parse(row.anonymous_ids, []),
  ...(row.segments && row.segments !== '[]' ? { segments: parse<string[]>(row.segments, []) } : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const SELECT_PROFILE = 'SELECT * FROM profiles WHERE entity = ? AND customer_id = ?';

/** The profile of a customer in one entity, or undefined. */
export const getProfile = async (db: SqlClient, entity: string, customerId: string): Promise<Profile | undefined> => {
  const [row] = await db.all<Row>(SELECT_PROFILE, [entity, customerId]);
  return row && toProfile(row);
};

/** Profiles of one entity, most recently updated first. */
export const listProfiles = async (db: SqlClient, entity: string, limit = 100): Promise<Profile[]> =>
  (await db.all<Row>('SELECT * FROM profiles WHERE entity = ? ORDER BY updated_at DESC, customer_id LIMIT ?', [entity, limit])).map(toProfile);

/**
 * A customer's profile for this transaction to change, locked until it ends (PostgreSQL), so two
 * replicas merging traits into one profile at once take turns instead of losing one merge.
 */
const lockProfile = async (tx: SqlClient, forUpdate: string, entity: string, customerId: string, at: string) => {
  const created = await tx.run(
    `INSERT INTO profiles (entity, customer_id, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (entity, customer_id) DO NOTHING`,
    [entity, customerId, at, at],
  );
  const [row] = await tx.all<Row>(SELECT_PROFILE + forUpdate, [entity, customerId]);
  return created ? undefined : row && toProfile(row);
};

const save = (tx: SqlClient, p: Profile) =>
  tx.run(
    `UPDATE profiles SET email = ?, attributes = ?, subscriptions = ?, anonymous_ids = ?, created_at = ?, updated_at = ?
     WHERE entity = ? AND customer_id = ?`,
    [
      p.email ?? null,
      JSON.stringify(p.attributes),
      JSON.stringify(p.subscriptions),
      JSON.stringify(p.anonymousIds),
      p.createdAt,
      p.updatedAt,
      p.entity,
      p.customerId,
    ],
  );

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
const anonymousSignUps = async (tx: SqlClient, entity: string, anonymousId: string): Promise<Envelope[]> =>
  (
    await tx.all<{ envelope: string }>(
      `SELECT envelope FROM events WHERE entity = ? AND anonymous_id = ? AND type = 'newsletter-subscribe'
       AND customer_id IS NULL ORDER BY created_at`,
      [entity, anonymousId],
    )
  ).map((row) => JSON.parse(row.envelope) as Envelope);

/**
 * Apply a stored `entity-identified` event: create or merge the customer's profile (email
 * replaced, attributes and opt-ins merged key by key) and attach the browser's anonymous id,
 * so what it did before logging in counts for this customer. Newsletter sign-ups the browser
 * made before, anonymously, become the customer's opt-ins (the identify's own traits, newer,
 * win). Other events are ignored. Runs inside the batch's transaction.
 */
export const applyIdentify = async (tx: SqlClient, forUpdate: string, event: Envelope): Promise<Profile | undefined> => {
  if (event.type !== 'entity-identified') return undefined;
  const body = event.body as { customerId?: unknown; traits?: unknown };
  if (typeof body.customerId !== 'string' || !body.customerId) return undefined;
  const customerId = body.customerId;
  const traits = readTraits(body.traits);
  const now = event.createdAt;
  const before = await lockProfile(tx, forUpdate, event.entity, customerId, now);
  const anonymousIds = before?.anonymousIds ?? [];
  // A back end (server key) may identify a customer with no browser: nothing to attach.
  if (event.anonymousId && !anonymousIds.includes(event.anonymousId)) anonymousIds.push(event.anonymousId);
  // The first customer a browser identified as keeps its anonymous history.
  const aliased =
    !!event.anonymousId &&
    (await tx.run('INSERT INTO profile_aliases (entity, anonymous_id, customer_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
      event.entity,
      event.anonymousId,
      customerId,
    ])) === 1;
  const signUps = aliased ? (await anonymousSignUps(tx, event.entity, event.anonymousId)).map(signUpOf) : [];
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
  await save(tx, next);
  return next;
};

/**
 * Apply a stored `newsletter-subscribe` event: the customer it belongs to (the event's own, else
 * the one its browser identified as) opts in to the list, and the profile takes the email when
 * it has none. A browser that has not identified yet opts in when it does (applyIdentify).
 */
export const applyNewsletter = async (tx: SqlClient, forUpdate: string, event: Envelope): Promise<Profile | undefined> => {
  if (event.type !== 'newsletter-subscribe') return undefined;
  const [alias] = await tx.all<{ customer_id: string }>('SELECT customer_id FROM profile_aliases WHERE entity = ? AND anonymous_id = ?', [
    event.entity,
    event.anonymousId ?? null,
  ]);
  const customerId = event.customerId ?? alias?.customer_id;
  if (!customerId) return undefined;
  const { list, email } = signUpOf(event);
  const before = await lockProfile(tx, forUpdate, event.entity, customerId, event.createdAt);
  const next: Profile = {
    entity: event.entity,
    customerId,
    email: before?.email ?? email,
    attributes: before?.attributes ?? {},
    subscriptions: { ...before?.subscriptions, [list]: true },
    anonymousIds: before?.anonymousIds ?? (event.anonymousId ? [event.anonymousId] : []),
    createdAt: earliest(before?.createdAt, event.createdAt),
    updatedAt: latest(before?.updatedAt, event.createdAt),
  };
  await save(tx, next);
  return next;
};

/** Apply a stored event to the profiles: identify and newsletter sign-ups change them. */
export const applyToProfiles = async (tx: SqlClient, forUpdate: string, event: Envelope): Promise<void> => {
  if (event.type === 'entity-identified') await applyIdentify(tx, forUpdate, event);
  else if (event.type === 'newsletter-subscribe') await applyNewsletter(tx, forUpdate, event);
};

/** SQL expression (joined `LEFT JOIN profile_aliases a ON a.entity = e.entity AND a.anonymous_id = e.anonymous_id`) of an event's customer. */
export const CONTACT_OF_EVENT = 'COALESCE(e.customer_id, a.customer_id)';
export const JOIN_ALIASES = 'LEFT JOIN profile_aliases a ON a.entity = e.entity AND a.anonymous_id = e.anonymous_id';

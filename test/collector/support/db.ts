// An in-memory database with the collector's `events` table (DESIGN contract 3) and the
// profile tables, filled by hand: the profile, log, export and report modules are tested
// without the HTTP server.
import Database from 'better-sqlite3';
import { catalog, type Envelope, type EventType, type Utm } from '../../../src/schema';
import { applyToProfiles, migrate } from '../../../src/collector/profiles';

export const memoryDb = (): Database.Database => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE events (
    id TEXT PRIMARY KEY, entity TEXT NOT NULL, type TEXT NOT NULL, anonymous_id TEXT, customer_id TEXT,
    session_id TEXT, created_at TEXT NOT NULL, received_at TEXT NOT NULL, billable INTEGER NOT NULL, envelope TEXT NOT NULL)`);
  migrate(db);
  return db;
};

let n = 0;

export interface EventSpec {
  type: EventType;
  body?: Record<string, unknown>;
  entity?: string;
  anonymousId?: string;
  customerId?: string;
  at: string;
  utm?: Utm;
}

/** Store one event as the collector would (and apply identify to the profile, as its ingest does). */
export const store = (db: Database.Database, spec: EventSpec): Envelope => {
  const event: Envelope = {
    id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    type: spec.type,
    v: 1,
    entity: spec.entity ?? 'acme',
    anonymousId: spec.anonymousId ?? 'anon-1',
    ...(spec.customerId ? { customerId: spec.customerId } : {}),
    sessionId: 'session-1',
    createdAt: new Date(spec.at).toISOString(),
    context: {
      page: { url: 'https://shop.example/', path: '/', title: 'Shop', referrer: '' },
      ...(spec.utm ? { utm: spec.utm } : {}),
      library: { name: 'shoptrail', version: 'test' },
    },
    body: spec.body ?? {},
  };
  db.prepare(
    `INSERT INTO events (id, entity, type, anonymous_id, customer_id, session_id, created_at, received_at, billable, envelope)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.id,
    event.entity,
    event.type,
    event.anonymousId,
    event.customerId ?? null,
    event.sessionId,
    event.createdAt,
    new Date().toISOString(),
    catalog[spec.type].billable ? 1 : 0,
    JSON.stringify(event),
  );
  applyToProfiles(db, event);
  return event;
};

/** A lifecycle custom event. */
export const lifecycle = (name: string, properties: Record<string, unknown>, spec: Omit<EventSpec, 'type' | 'body'>): EventSpec => ({
  ...spec,
  type: 'custom-event',
  body: { name, properties },
});

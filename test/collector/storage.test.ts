// The storage underneath: versioned migrations (a demo database of the first schema is brought
// up to date, its events kept in order), and a database that cannot answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Collector, createCollector } from '../../src/collector/app';
import { openStorage } from '../../src/collector/storage/index';
import { SCHEMA_VERSION } from '../../src/collector/storage/migrations';
import { ADMIN_KEY, batch, event, post, read, testConfig } from './support/app';

const dir = mkdtempSync(join(tmpdir(), 'shoptrail-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let collector: Collector | undefined;
afterEach(() => collector?.close());

describe('storage', () => {
  it("migrates a database of the demo collector's first schema, keeping its events in order", async () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, entity TEXT NOT NULL, type TEXT NOT NULL, anonymous_id TEXT, customer_id TEXT,
      session_id TEXT, created_at TEXT, received_at TEXT NOT NULL, billable INTEGER NOT NULL, envelope TEXT NOT NULL)`);
    const kept = [event(), event(), event()];
    for (const e of kept) {
      old
        .prepare('INSERT INTO events VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 1, ?)')
        .run(e.id, 'shop', e.type, e.anonymousId, e.sessionId, e.createdAt, e.createdAt, JSON.stringify(e));
    }
    old.close();
    collector = createCollector({ config: testConfig(), dbPath: path, log: false });
    const reply = await (await post(collector, batch([kept[1]!, event()]))).json();
    expect(reply).toMatchObject({ accepted: 1, duplicates: 1 });
    const events = ((await (await read(collector, '/v1/events')).json()) as { events: { id: string }[] }).events;
    expect(events.map((e) => e.id).slice(0, 3)).toEqual(kept.map((e) => e.id));
    const storage = collector.storages[0]!;
    expect(await storage.report({ sql: 'SELECT max(version) FROM shoptrail_migrations', params: [] })).toEqual([[SCHEMA_VERSION]]);
  });

  it('answers 503 with Retry-After when the database is down, and /v1/events too', async () => {
    // Nothing listens on port 1: every connection is refused.
    const config = { ...testConfig(), store: 'postgres://shoptrail@127.0.0.1:1/none' };
    collector = createCollector({ config, log: false });
    const response = await post(collector, batch([event()]));
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('2');
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('storage unavailable'), retryAfter: 2 });
    expect((await read(collector, '/v1/events', ADMIN_KEY)).status).toBe(503);
  });

  it('hides the password of a database URL in its name', () => {
    expect(openStorage('postgres://app:s3cret@db.internal:5432/shop').name).toBe('postgres://app:***@db.internal:5432/shop');
  });
});

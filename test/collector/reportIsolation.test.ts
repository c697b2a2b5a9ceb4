// Heavy admin reports must not block ingest (issue 18): on SQLite they run in a worker thread on
// a read-only connection of their own, on PostgreSQL asynchronously with a statement_timeout;
// on both a report over its time limit is stopped and answers 503 with the reason.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { ADMIN_KEY, batch, event, post, testCollector } from './support/app';
import { ENGINE } from './support/engine';

const ROWS = 150_000;

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

/** ROWS purchases of the "shop" entity, written straight into the events table. */
const seed = async (c: Collector) => {
  const storage = c.storages[0]!;
  await storage.ping(); // created and migrated
  if (ENGINE === 'sqlite') {
    const db = new Database(storage.name.slice('sqlite:'.length));
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO events (entity, id, type, anonymous_id, customer_id, session_id, created_at, received_at, billable, envelope)
       SELECT 'shop', 'seed-' || i, 'purchase', 'anon-' || (i % 5000), NULL, 's', '2026-11-' || printf('%02d', 1 + i % 28) || 'T10:00:00.000Z',
              '2026-11-28T10:00:00.000Z', 1,
              json_object('body', json_object('value', i % 100, 'currency', 'EUR'), 'context', json_object('utm', json_object('campaign', 'c' || (i % 50))))
       FROM n`,
    ).run(ROWS);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: storage.name });
  await client.connect();
  await client.query(
    `INSERT INTO events (entity, id, type, anonymous_id, customer_id, session_id, created_at, received_at, billable, envelope)
     SELECT 'shop', 'seed-' || i, 'purchase', 'anon-' || (i % 5000), NULL, 's', '2026-11-' || lpad((1 + i % 28)::text, 2, '0') || 'T10:00:00.000Z',
            '2026-11-28T10:00:00.000Z', 1,
            json_build_object('body', json_build_object('value', i % 100, 'currency', 'EUR'), 'context', json_build_object('utm', json_build_object('campaign', 'c' || (i % 50))))::text
     FROM generate_series(1, $1::int) i`,
    [ROWS],
  );
  await client.query('ANALYZE events');
  await client.end();
};

const HEAVY = {
  source: { type: 'purchase' },
  dimensions: ['day', 'utm.campaign', 'body.currency'],
  measures: ['count', 'sum:value', 'avg:value', 'distinctContacts'],
};

const report = (c: Collector, spec: unknown = HEAVY) =>
  c.app.request('/v1/reports', { method: 'POST', body: JSON.stringify(spec), headers: { Authorization: `Bearer ${ADMIN_KEY}` } });

const ingestOnce = async (c: Collector) => {
  const started = performance.now();
  const response = await post(c, batch([event()]));
  expect(response.status).toBe(200);
  return performance.now() - started;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const fileDb = () => join(mkdtempSync(join(tmpdir(), 'shoptrail-reports-')), 'collector.db');

describe('heavy reports and ingest', () => {
  it('keeps ingest fast while a heavy report runs', { timeout: 120_000 }, async () => {
    collector = testCollector({ dbPath: fileDb(), limits: { reportTimeoutMs: 60_000 } }); // a slow machine still finishes it
    await seed(collector);
    for (let i = 0; i < 5; i++) await ingestOnce(collector); // warm-up
    const quiet: number[] = [];
    for (let i = 0; i < 20; i++) quiet.push(await ingestOnce(collector));

    let done = false;
    const started = performance.now();
    const running = Promise.resolve(report(collector)).then(async (response) => {
      done = true;
      return { status: response.status, body: (await response.json()) as { report: { rows: unknown[][] } }, ms: performance.now() - started };
    });
    const during: number[] = [];
    // A shop's pace, not a tight loop: the report's thread gets its share of the two cores.
    while (!done && during.length < 1000) {
      during.push(await ingestOnce(collector));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const result = await running;

    console.log(
      `reports: ${JSON.stringify({ engine: ENGINE, rows: ROWS, reportMs: Math.round(result.ms), batchesDuringReport: during.length, quietP50Ms: +median(quiet).toFixed(2), duringP50Ms: +median(during).toFixed(2) })}`,
    );
    expect(result.status).toBe(200);
    expect(result.body.report.rows.length).toBe(700); // every (day, campaign) pair that occurs: lcm(28, 50)
    // The report took a while, and batches kept being answered all along, each quickly.
    expect(result.ms).toBeGreaterThan(150);
    expect(during.length).toBeGreaterThanOrEqual(5);
    expect(median(during)).toBeLessThanOrEqual(5 * Math.max(median(quiet), 2));
    expect(Math.max(...during)).toBeLessThan(result.ms / 2);
  });

  it('stops a report over its time limit with a 503 that says why, and ingest goes on', { timeout: 120_000 }, async () => {
    collector = testCollector({ dbPath: fileDb(), limits: { reportTimeoutMs: 100 } });
    await seed(collector);
    const started = performance.now();
    const response = await report(collector);
    const ms = performance.now() - started;
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toMatch(/^report ran over 0\.1 s and was stopped: narrow it/);
    expect(ms).toBeLessThan(2000);
    expect(await ingestOnce(collector)).toBeLessThan(1000);
    // A small report still runs within the limit.
    const small = await report(collector, { source: { type: 'web-page-visited' }, measures: ['count'] });
    expect(small.status).toBe(200);
  });
});

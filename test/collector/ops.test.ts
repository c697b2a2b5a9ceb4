// /healthz, /readyz, /metrics and the request log, in process (cli.test.ts does it over a socket).
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { requireDriver } from '../../src/collector/drivers';
import { createMetrics, reasonOf } from '../../src/collector/metrics';
import { mountOps, type Probe } from '../../src/collector/ops';
import { batch, event, ORIGIN, testCollector, vitals, WRITE_KEY } from './support/app';
import { ENGINE } from './support/engine';

/** A pino logger whose lines land in an array. */
const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: pino({}, stream) };
};

const opsApp = (storages: Probe[], readyTimeoutMs?: number) => {
  const app = new Hono();
  mountOps(app, { storages: () => storages, metrics: createMetrics(), readyTimeoutMs });
  return app;
};

const post = (collector: ReturnType<typeof testCollector>, events: unknown[], query = '') =>
  collector.app.request(`/v1/batch${query}`, { method: 'POST', body: JSON.stringify(batch(events)), headers: { Origin: ORIGIN } });

describe('operations', () => {
  it('/healthz answers while the process is up', async () => {
    const res = await opsApp([]).request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is ready when every database answers, and names the ones that do not', async () => {
    const up: Probe = { name: 'postgres://app:***@db1/shop', ping: async () => {} };
    const down: Probe = { name: 'postgres://app:***@db2/other', ping: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.2:5432')) };
    const hung: Probe = { name: 'sqlite:slow.db', ping: () => new Promise(() => {}) };

    const ready = await opsApp([up]).request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', stores: [{ name: up.name, ok: true }] });

    const started = Date.now();
    const notReady = await opsApp([up, down, hung], 100).request('/readyz');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: 'not ready',
      stores: [
        { name: up.name, ok: true },
        { name: down.name, ok: false, error: 'connect ECONNREFUSED 10.0.0.2:5432' },
        { name: hung.name, ok: false, error: 'no answer within 100 ms' },
      ],
    });
  });

  it('the collector is ready when its store answers', async () => {
    const collector = testCollector();
    const res = await collector.app.request('/readyz');
    expect(await res.json()).toEqual({ status: 'ready', stores: [{ name: collector.storages[0]!.name, ok: true }] });
    expect(collector.storages[0]!.name).toMatch(ENGINE === 'sqlite' ? /^sqlite::memory:$/ : /^postgres:\/\//);
    await collector.close();
  });

  it('/metrics counts accepted, duplicate and rejected events, requests and process metrics', async () => {
    const collector = testCollector();
    const a = event();
    expect((await post(collector, [a, vitals(), { id: 'x', type: 'nope' }, event('web-page-visited', undefined, { entity: 'other' })])).status).toBe(200);
    expect((await post(collector, [a])).status).toBe(200);
    const res = await collector.app.request('/metrics');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^shoptrail_events_accepted_total 2$/m);
    expect(text).toMatch(/^shoptrail_events_duplicate_total 1$/m);
    expect(text).toMatch(/^shoptrail_events_rejected_total\{reason="wrong-entity"\} 1$/m);
    expect(text).toMatch(/^shoptrail_events_rejected_total\{reason="[a-z-]+"\} 1$/m);
    expect(text).toMatch(/^shoptrail_db_errors_total 0$/m);
    expect(text).toMatch(/^shoptrail_http_request_duration_seconds_count\{method="POST",route="\/v1\/batch",status="200"\} 2$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // Each collector has its own registry: a second one starts from zero.
    const other = testCollector();
    expect(await (await other.app.request('/metrics')).text()).toMatch(/^shoptrail_events_accepted_total 0$/m);
    await Promise.all([collector.close(), other.close()]);
  });

  it('folds odd rejection codes into "other"', () => {
    expect(reasonOf('too-large: event over 32768 bytes')).toBe('too-large');
    expect(reasonOf('Some free text without a code')).toBe('other');
  });

  it('logs one JSON line per request, without the query string, with the entity when known', async () => {
    const { lines, log } = capture();
    const collector = testCollector({ log });
    await post(collector, [event()], `?writeKey=${WRITE_KEY}`);
    await collector.app.request('/v1/usage', { headers: { Authorization: 'Bearer sk_test_shop', 'X-Request-Id': 'lb-123' } });
    await collector.app.request('/nowhere?secret=1');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ msg: 'request', method: 'POST', path: '/v1/batch', status: 200 });
    expect(typeof lines[0]!.ms).toBe('number');
    expect(typeof lines[0]!.reqId).toBe('string');
    expect(lines[1]).toMatchObject({ msg: 'request', method: 'GET', path: '/v1/usage', status: 200, entity: 'shop', reqId: 'lb-123' });
    expect(lines[2]).toMatchObject({ path: '/nowhere', status: 404 });
    expect(JSON.stringify(lines)).not.toContain(WRITE_KEY);
    expect(JSON.stringify(lines)).not.toContain('secret');
    await collector.close();
  });

  it('logs unexpected errors through pino', async () => {
    const { lines, log } = capture();
    const collector = testCollector({ log });
    collector.app.get('/boom', () => {
      throw new Error('kaput');
    });
    expect((await collector.app.request('/boom')).status).toBe(500);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'unhandled error', err: { message: 'kaput' } });
    await collector.close();
  });

  it('says which driver package to install when one is missing', async () => {
    const missing = async (name: string) => {
      throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/dist/collector/cli.mjs`), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    await expect(requireDriver('pg', missing)).rejects.toThrow('the PostgreSQL driver is not installed: npm install pg');
    await expect(requireDriver('better-sqlite3', missing)).rejects.toThrow('npm install better-sqlite3');
    // A driver that is there but broken keeps its own error.
    const broken = async () => {
      throw Object.assign(new Error("Cannot find package 'pg-types' imported from /app/node_modules/pg/lib/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    await expect(requireDriver('pg', broken)).rejects.toThrow("Cannot find package 'pg-types'");
    expect(typeof (await requireDriver('pg')).Pool).toBe('function');
  });
});

// The admin routes over two entities that share customer ids, campaigns and names: every
// answer for one entity's key holds that entity's data and none of the other's.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describe, expect, it } from 'vitest';
import { mountProfileRoutes } from '../../src/collector/profileRoutes';
import { lifecycle, memoryDb, store } from './support/db';

type Env = { Variables: { entity: { entity: string } } };
const KEYS: Record<string, string> = { 'sk-acme': 'acme', 'sk-beta': 'beta' };

const setup = async () => {
  const db = memoryDb();
  for (const entity of ['acme', 'beta']) {
    const who = { entity, anonymousId: `anon-${entity}`, customerId: 'c-1' };
    const email = `ana@${entity}.example`;
    await store(db, { type: 'entity-identified', body: { customerId: 'c-1', traits: { email, attributes: { tier: entity } } }, ...who, at: '2026-03-01T09:00:00Z' });
    await store(
      db,
      lifecycle(
        'created_subscription',
        { subscriptionId: `s-${entity}`, actorEmail: email },
        { ...who, at: '2026-03-01T10:00:00Z', utm: { campaign: `camp-${entity}` } },
      ),
    );
    await store(db, lifecycle('cancel_subscription', { subscriptionId: `s-${entity}`, actorEmail: email }, { ...who, at: '2026-03-02T10:00:00Z' }));
    await store(db, {
      type: 'purchase',
      body: { orderId: `o-${entity}`, value: entity === 'acme' ? 10 : 99, currency: 'EUR', items: [] },
      ...who,
      at: '2026-03-01T11:00:00Z',
      utm: { campaign: 'shared' },
    });
  }
  const app = new Hono<Env>();
  const admin = createMiddleware<Env>(async (c, next) => {
    const entity = KEYS[c.req.header('Authorization')?.replace(/^Bearer /, '') ?? ''];
    if (!entity) return c.json({ error: 'admin key required' }, 401);
    c.set('entity', { entity });
    await next();
  });
  mountProfileRoutes(app, { of: () => db, all: [db], close: () => db.close() }, admin);
  return app;
};

const get = (app: Hono<Env>, path: string, key = 'sk-acme') => app.request(path, { headers: { Authorization: `Bearer ${key}` } });
const report = (app: Hono<Env>, spec: unknown, key = 'sk-acme') =>
  app.request('/v1/reports', { method: 'POST', body: JSON.stringify(spec), headers: { Authorization: `Bearer ${key}` } });

const schema = JSON.parse(readFileSync('src/collector/schemas/wasabi-customer-action.schema.json', 'utf8'));
const ajv = new Ajv({ strict: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

describe('profile, log, export and report routes', () => {
  it('refuse requests without an admin key', async () => {
    const app = await setup();
    for (const path of ['/v1/profiles', '/v1/customers/c-1', '/v1/customers/c-1/log', '/v1/export/customer-actions']) {
      expect((await app.request(path)).status).toBe(401);
    }
    expect((await app.request('/v1/reports', { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('answer each entity with its own data only', async () => {
    const app = await setup();
    for (const [key, mine, theirs] of [
      ['sk-acme', 'acme', 'beta'],
      ['sk-beta', 'beta', 'acme'],
    ] as const) {
      const profiles = await (await get(app, '/v1/profiles', key)).json();
      expect(profiles.profiles.map((p: { email: string }) => p.email)).toEqual([`ana@${mine}.example`]);
      const profile = await (await get(app, '/v1/customers/c-1', key)).json();
      expect(profile.profile).toMatchObject({ entity: mine, attributes: { tier: mine } });

      const log = await get(app, '/v1/customers/c-1/log', key);
      expect(log.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await log.text()).toBe(`2026/03/01 created_subscription s-${mine} ana@${mine}.example\n2026/03/02 cancel_subscription s-${mine} ana@${mine}.example\n`);

      const exported = (await (await get(app, '/v1/export/customer-actions', key)).text()).trim().split('\n');
      expect(exported).toHaveLength(2);
      for (const line of exported) {
        expect(validate(JSON.parse(line))).toBe(true);
        expect(line).toContain(`s-${mine}`);
        expect(line).not.toContain(theirs);
      }

      const table = await (
        await report(app, { source: { type: 'purchase' }, dimensions: ['utm.campaign', 'contact.tier'], measures: ['count', 'sum:value'] }, key)
      ).json();
      expect(table.report.rows).toEqual([['shared', mine, 1, mine === 'acme' ? 10 : 99]]);
    }
  });

  it('say why a report is refused', async () => {
    const res = await report(await setup(), { source: { type: 'purchase' }, measures: ['drop table'] });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain('unknown measure');
    expect((await get(await setup(), '/v1/customers/c-404')).status).toBe(404);
    expect((await get(await setup(), '/v1/export/customer-actions?since=last-week')).status).toBe(400);
  });

  it('export what changed since a time', async () => {
    const lines = (await (await get(await setup(), '/v1/export/customer-actions?since=2026-03-02')).text()).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).body.interaction.type)).toEqual(['SUBSCRIPTION_CANCELLED']);
  });
});

// The admin API the console needs beyond the collector's own reads, under /v1 with the same
// admin key (so scripts can use them too): usage by event type, content statistics, the latest
// events, a customer's timeline, profile search, saved reports.
import { randomUUID } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import type { EntityConfig } from '../keys';
import { planReport } from '../reports';
import { dialects } from '../storage/dialect';
import type { Stores } from '../storage/router';
import { cycleDays } from '../usage';
import { contentStats } from './contentStats';

export type Env = { Variables: { entity: EntityConfig } };

/** An integer query parameter within bounds, the fallback when absent, undefined when invalid. */
const intParam = (value: string | undefined, fallback: number, max: number): number | undefined => {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
};

export const mountConsoleApi = (app: Hono<Env>, deps: { stores: Stores; now: () => number; admin: MiddlewareHandler<Env> }): void => {
  const { stores, now, admin } = deps;
  const cycle = (entity: EntityConfig) => {
    const { start, end } = cycleDays(entity, now());
    return { from: start.toISOString(), to: end.toISOString() };
  };

  app.get('/v1/usage/by-type', admin, async (c) => {
    const entity = c.var.entity;
    const { from, to } = cycle(entity);
    const types = await stores.of(entity.entity).usageByType(entity.entity, from, to);
    const sum = (billable: boolean) => types.filter((t) => t.billable === billable).reduce((n, t) => n + t.count, 0);
    return c.json({ from, to, billable: sum(true), free: sum(false), types });
  });

  app.get('/v1/content', admin, async (c) => {
    const entity = c.var.entity;
    const { from, to } = cycle(entity);
    const rows = await stores.of(entity.entity).contentRows(entity.entity, from, to);
    return c.json(contentStats(from, to, rows, new Date(now()).toISOString().slice(0, 10)));
  });

  app.get('/v1/events/latest', admin, async (c) => {
    const limit = intParam(c.req.query('limit'), 100, 1000);
    if (limit === undefined) return c.json({ error: 'limit must be 1–1000' }, 400);
    return c.json({ events: await stores.of(c.var.entity.entity).latestEvents(c.var.entity.entity, limit) });
  });

  app.get('/v1/customers/:customerId/events', admin, async (c) => {
    const limit = intParam(c.req.query('limit'), 200, 1000);
    if (limit === undefined) return c.json({ error: 'limit must be 1–1000' }, 400);
    const events = await stores.of(c.var.entity.entity).customerEvents(c.var.entity.entity, c.req.param('customerId'), limit);
    return c.json({ events });
  });

  app.get('/v1/profiles/search', admin, async (c) => {
    const q = (c.req.query('q') ?? '').trim();
    if (!q || q.length > 200) return c.json({ error: 'q: give a customer id or an email (or their beginning), up to 200 characters' }, 400);
    return c.json({ profiles: await stores.of(c.var.entity.entity).searchProfiles(c.var.entity.entity, q, 50) });
  });

  app.get('/v1/reports/saved', admin, async (c) => c.json({ reports: await stores.of(c.var.entity.entity).savedReports(c.var.entity.entity) }));
  app.post('/v1/reports/saved', admin, async (c) => {
    let raw: { name?: unknown; spec?: unknown };
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'body is not valid JSON' }, 400);
    }
    const name = typeof raw?.name === 'string' ? raw.name.trim() : '';
    if (!name || name.length > 100) return c.json({ error: 'name: give 1–100 characters' }, 400);
    // Only a spec that runs is kept: reopening a saved report never meets a refusal.
    const storage = stores.of(c.var.entity.entity);
    const plan = planReport(dialects[storage.engine], c.var.entity.entity, raw.spec);
    if (!plan.ok) return c.json({ error: plan.error }, 400);
    const report = await storage.saveReport(c.var.entity.entity, { id: randomUUID(), name, spec: raw.spec, at: new Date(now()).toISOString() });
    return c.json({ report }, 201);
  });
  app.delete('/v1/reports/saved/:id', admin, async (c) =>
    (await stores.of(c.var.entity.entity).deleteSavedReport(c.var.entity.entity, c.req.param('id')))
      ? c.body(null, 204)
      : c.json({ error: 'no such saved report in this entity' }, 404),
  );
};

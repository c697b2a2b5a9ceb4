// Admin routes for profiles, the activity log, the customer-action export and reports. Each
// runs behind the collector's admin middleware, which sets the one entity the key reads:
// every query here takes that entity and nothing else.
import type { Hono, MiddlewareHandler } from 'hono';
import { formatLog } from './activityLog';
import { exportResponse } from './export';
import { runReport } from './reports';
import type { Stores } from './storage/router';
import { ReportsBusy, ReportTimeout } from './storage/sql';

type Env = { Variables: { entity: { entity: string } } };

const MAX_PROFILES = 1000;

export const mountProfileRoutes = <E extends Env>(app: Hono<E>, stores: Stores, admin: MiddlewareHandler<E>, options: { reportTimeoutMs?: number } = {}): void => {
  const entityOf = (c: { var: { entity: { entity: string } } }) => c.var.entity.entity;
  const storeOf = (c: { var: { entity: { entity: string } } }) => stores.of(entityOf(c));
  for (const path of ['/v1/profiles', '/v1/customers/*', '/v1/export/*', '/v1/reports']) app.use(path, admin);

  app.get('/v1/profiles', async (c) => {
    const limit = Number(c.req.query('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PROFILES) return c.json({ error: `limit must be 1–${MAX_PROFILES}` }, 400);
    return c.json({ profiles: await storeOf(c).profiles(entityOf(c), limit) });
  });
  app.get('/v1/customers/:customerId', async (c) => {
    const profile = await storeOf(c).profile(entityOf(c), c.req.param('customerId'));
    return profile ? c.json({ profile }) : c.json({ error: 'no such customer in this entity' }, 404);
  });
  app.get('/v1/customers/:customerId/log', async (c) => {
    const log = formatLog(await storeOf(c).activityLog(entityOf(c), c.req.param('customerId')));
    return c.body(log, 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  });
  app.get('/v1/export/customer-actions', (c) => {
    const since = c.req.query('since');
    if (since === undefined) return exportResponse(storeOf(c), entityOf(c));
    const time = Date.parse(since);
    if (!/^\d{4}-\d{2}-\d{2}/.test(since) || Number.isNaN(time)) return c.json({ error: 'since: expected an ISO 8601 date or time' }, 400);
    return exportResponse(storeOf(c), entityOf(c), new Date(time).toISOString());
  });
  app.post('/v1/reports', async (c) => {
    let spec: unknown;
    try {
      spec = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'body is not valid JSON' }, 400);
    }
    try {
      const report = await runReport(storeOf(c), entityOf(c), spec, options.reportTimeoutMs);
      return report.ok ? c.json({ report: report.value }) : c.json({ error: report.error }, 400);
    } catch (error) {
      // Over its time limit, or too many at once: the report stopped, ingest never waited.
      if (error instanceof ReportTimeout) return c.json({ error: error.message }, 503);
      if (error instanceof ReportsBusy) {
        c.header('Retry-After', '5');
        return c.json({ error: error.message, retryAfter: 5 }, 503);
      }
      throw error;
    }
  });
};

// POST / DELETE /v1/admin/faults: staged outages for tests (faults.ts). Off (404) unless the
// collector was started with faults on; then any entity's admin key may set them, because a
// fault applies to the whole process, not to one entity. A page's origin can never reach them:
// they answer no CORS and want `Authorization: Bearer <adminKey>`.
import type { Env, Hono } from 'hono';
import type { Faults } from './faults';
import { parseFaultSpec } from './faults';
import type { Keys } from './keys';

const OFF = 'fault injection is off (start with SHOPTRAIL_FAULTS=1)';

export const mountFaultRoutes = <E extends Env>(app: Hono<E>, enabled: boolean, faults: Faults, keys: Keys): void => {
  app.use('/v1/admin/faults', async (c, next) => {
    if (!enabled) return c.json({ error: OFF }, 404);
    const key = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]?.trim();
    if (!key || !keys.byAdminKey(key)) return c.json({ error: 'admin key required: Authorization: Bearer <adminKey>' }, 401);
    await next();
  });
  app.post('/v1/admin/faults', async (c) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'body is not valid JSON' }, 400);
    }
    const spec = parseFaultSpec(raw);
    if (typeof spec === 'string') return c.json({ error: spec }, 400);
    faults.set(spec);
    return c.json({ faults: spec });
  });
  app.delete('/v1/admin/faults', (c) => {
    faults.clear();
    return c.json({ faults: null });
  });
};

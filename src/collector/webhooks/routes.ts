// Admin routes of the webhook outbox's dead letters: list them, send one again (same delivery id).
import type { Hono, MiddlewareHandler } from 'hono';
import type { Stores } from '../storage/router';

type Env = { Variables: { entity: { entity: string } } };

export const mountWebhookRoutes = <E extends Env>(app: Hono<E>, stores: Stores, admin: MiddlewareHandler<E>, now: () => number): void => {
  app.use('/v1/webhooks/*', admin);
  app.get('/v1/webhooks/dead', async (c) => {
    const limit = Number(c.req.query('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return c.json({ error: 'limit must be 1–1000' }, 400);
    const entity = c.var.entity.entity;
    return c.json({ dead: await stores.of(entity).deadWebhooks(entity, limit) });
  });
  app.post('/v1/webhooks/dead/:id/retry', async (c) => {
    const entity = c.var.entity.entity;
    const ok = await stores.of(entity).retryWebhook(entity, c.req.param('id'), now());
    return ok ? c.json({ retried: c.req.param('id') }) : c.json({ error: 'no such dead letter in this entity' }, 404);
  });
};

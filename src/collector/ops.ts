// What operators and orchestrators ask of a running collector: one log line and one latency
// observation per request, GET /healthz (the process is up), GET /readyz (every database
// answers) and GET /metrics (Prometheus).
import { randomUUID } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { Storage } from './storage/types';

export type Probe = Pick<Storage, 'name' | 'ping'>;

export const READY_TIMEOUT_MS = 2_000;

/** A request id from the load balancer when it looks like one, else a new one. */
const requestIdOf = (header: string | undefined) => (header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID());

/**
 * Log and time every request. The path is logged without its query string: `sendBeacon`
 * batches may carry their write key there. `entity` is logged when a route set it.
 */
// Typed loosely: it runs in front of any app and only reads `entity` when a route set it.
export const requestLog =
  (log: Logger, metrics: Metrics): MiddlewareHandler<any> =>
  async (c, next) => {
    const start = performance.now();
    const reqId = requestIdOf(c.req.header('X-Request-Id'));
    c.header('X-Request-Id', reqId);
    await next();
    const seconds = (performance.now() - start) / 1000;
    const status = c.res.status;
    // The matched pattern ('/v1/events', '*' when none matched): bounded label values.
    metrics.observeRequest({ method: c.req.method, route: routePath(c, -1), status }, seconds);
    const entity = (c.get('entity') as { entity?: string } | undefined)?.entity;
    log.info({ reqId, method: c.req.method, path: c.req.path, status, ms: Math.round(seconds * 10_000) / 10, ...(entity ? { entity } : {}) }, 'request');
  };

/** Resolve when `ping` does, fail when it fails or takes longer than `ms`. */
const within = async (ping: Promise<void>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

export const mountOps = (app: Hono<any>, deps: { storages: () => Probe[]; metrics: Metrics; readyTimeoutMs?: number }) => {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ms = deps.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const stores = await Promise.all(
      deps.storages().map(async (s) => {
        try {
          await within(s.ping(), ms);
          return { name: s.name, ok: true };
        } catch (error) {
          return { name: s.name, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const ready = stores.every((s) => s.ok);
    if (!ready) c.header('Cache-Control', 'no-store');
    return c.json({ status: ready ? 'ready' : 'not ready', stores }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const { body, contentType } = await deps.metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
};

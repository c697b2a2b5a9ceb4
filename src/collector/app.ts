// The collector's routes (DESIGN.md "Collector protocol", README "Reference collector"):
// POST /v1/batch for the tracker; GET /v1/events and /v1/usage for an entity's admin key
// (and the profile, log, export and report routes of profileRoutes.ts);
// /v1/admin/faults to stage outages when fault injection is on; /healthz, /readyz, /metrics
// and one log line per request for operators (ops.ts).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { ENCODING_PARAM } from '../schema';
import { MAX_READ, openStore, type Store } from './db';
import { createFaults, type Faults, parseFaultSpec } from './faults';
import { ingest } from './ingest';
import { mountProfileRoutes } from './profileRoutes';
import { type CollectorConfig, createKeys, type EntityConfig, type Keys } from './keys';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { createLogger, type LogOption, type Logger } from './log';
import { type BatchCounts, createMetrics, type Metrics } from './metrics';
import { mountOps, requestLog } from './ops';
import type { Storage } from './storage/types';
import { createRateLimiter } from './rateLimit';
import { usageOf } from './usage';

export interface CollectorOptions {
  /** Keys, origins and allowances. */
  config: CollectorConfig;
  /** SQLite file; ":memory:" by default. */
  dbPath?: string;
  /** Allow POST/DELETE /v1/admin/faults. */
  faults?: boolean;
  limits?: Partial<Limits>;
  now?: () => number;
  /** Where admin keys named by `adminKeyEnv` are read. */
  env?: NodeJS.ProcessEnv;
  /** JSON logs (a line per request, errors): on by default; false silences; or a pino logger. */
  log?: LogOption;
}

export interface Collector {
  app: Hono<Env>;
  store: Store;
  keys: Keys;
  faults: Faults;
  /** The distinct databases, for /readyz and for closing. */
  storages: Array<Pick<Storage, 'name' | 'ping' | 'close'>>;
  metrics: Metrics;
  log: Logger;
  close(): Promise<void>;
}

type Env = { Variables: { entity: EntityConfig } };

/** Until the storage router lands: a `sqlite:` default store is the one SQLite file. */
const legacySqlitePath = (config: CollectorConfig, dbPath: string | undefined): string => {
  const url = config.store;
  if (url === undefined) return dbPath ?? ':memory:';
  if (!url.startsWith('sqlite:')) throw new Error('collector: PostgreSQL stores need the storage router (not on this branch yet)');
  if (config.entities.some((e) => e.store !== undefined)) throw new Error('collector: per-entity stores need the storage router (not on this branch yet)');
  return url.slice('sqlite:'.length);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createCollector = (options: CollectorOptions): Collector => {
  const config = options.config;
  const now = options.now ?? Date.now;
  const keys = createKeys(config, options.env);
  const store = openStore(legacySqlitePath(config, options.dbPath));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const limiter = createRateLimiter(config.rateLimit, now);
  const faults = createFaults(now);
  const deps = { keys, store, limiter, limits, now };
  const app = new Hono<Env>();

  // --- ops: request log and metrics first, so they see every answer (ops.ts) ---
  const log = createLogger(options.log);
  const metrics = createMetrics();
  // Until the storage router lands, the one SQLite store is the storage /readyz pings.
  const storages = [
    { name: `sqlite:${store.path}`, ping: async () => void store.db.prepare('SELECT 1').get(), close: async () => store.close() },
  ];
  app.use('*', requestLog(log, metrics));
  mountOps(app, { storages: () => storages, metrics });
  // --- end ops ---

  app.use(
    '/v1/*',
    cors({
      // Preflights come before the write key is known: any origin some entity allows passes
      // here, and the batch handler then checks the origin against the key's own list.
      origin: (origin) => (keys.anyOriginAllowed(origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Content-Encoding', 'Authorization'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );

  app.post(
    '/v1/batch',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) => c.json({ error: `body over ${limits.maxBodyBytes} bytes` }, 413),
    }),
    async (c) => {
      const fault = options.faults ? faults.take() : undefined;
      if (fault?.delayMs) await sleep(fault.delayMs);
      const failWith = (status: 503 | 429 | 500) => {
        if (fault?.retryAfter !== undefined && status !== 500) c.header('Retry-After', String(fault.retryAfter));
        return c.json({ error: 'fault injected', retryAfter: fault?.retryAfter }, status);
      };
      if (fault?.status && !fault.storeThenFail) return failWith(fault.status);

      const encoding = (c.req.header('Content-Encoding') ?? c.req.query(ENCODING_PARAM) ?? 'identity').trim().toLowerCase();
      if (encoding !== 'gzip' && encoding !== 'identity') return c.json({ error: `unsupported encoding "${encoding.slice(0, 20)}"` }, 415);
      const body = Buffer.from(await c.req.arrayBuffer());
      const reply = await ingest(deps, { body, gzip: encoding === 'gzip', origin: c.req.header('Origin') });

      if (reply.status === 200) metrics.countBatch(reply.body as unknown as BatchCounts);
      if (fault?.status && fault.storeThenFail) return failWith(fault.status);
      if (reply.retryAfter !== undefined) c.header('Retry-After', String(reply.retryAfter));
      return c.json(reply.body, reply.status as 200);
    },
  );

  // Admin reads: an admin key reads its own entity and nothing else.
  const admin = createMiddleware<Env>(async (c, next) => {
    const key = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]?.trim();
    const entity = key ? keys.byAdminKey(key) : undefined;
    if (!entity) return c.json({ error: 'admin key required: Authorization: Bearer <adminKey>' }, 401);
    const asked = c.req.query('entity');
    if (asked !== undefined && asked !== entity.entity) {
      return c.json({ error: `this admin key does not read "${asked.slice(0, 100)}"` }, 403);
    }
    c.set('entity', entity);
    await next();
  });
  app.get('/v1/events', admin);
  app.get('/v1/usage', admin);
  mountProfileRoutes(app, store.db, admin);
  app.get('/v1/events', (c) => {
    const limit = Number(c.req.query('limit') ?? 1000);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ) return c.json({ error: `limit must be 1–${MAX_READ}` }, 400);
    const { type, anonymousId, after } = c.req.query();
    const events = store.events(c.var.entity.entity, { type, anonymousId, after, limit });
    return c.json({ events });
  });
  app.get('/v1/usage', (c) => c.json({ usage: usageOf(store, c.var.entity, now()) }));

  app.post('/v1/admin/faults', async (c) => {
    if (!options.faults) return c.json({ error: 'fault injection is off (start with SHOPTRAIL_FAULTS=1)' }, 404);
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
    if (!options.faults) return c.json({ error: 'fault injection is off (start with SHOPTRAIL_FAULTS=1)' }, 404);
    faults.clear();
    return c.json({ faults: null });
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((error, c) => {
    // A client that hangs up mid-body is not the server's error: nobody reads this answer.
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return c.json({ error: 'request aborted' }, 400);
    log.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal error' }, 500);
  });

  const close = async () => {
    for (const storage of storages) await storage.close();
  };
  return { app, store, keys, faults, storages, metrics, log, close };
};

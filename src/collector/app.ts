// The collector's routes (DESIGN.md "Collector protocol", README "Reference collector"):
// POST /v1/batch for the tracker; GET /v1/events and /v1/usage for an entity's admin key
// (and the profile, log, export and report routes of profileRoutes.ts);
// /v1/admin/faults to stage outages when fault injection is on; /healthz, /readyz, /metrics
// and one log line per request for operators (ops.ts).
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { ENCODING_PARAM } from '../schema';
import { admission, type AdmissionEnv, readBody, unread } from './admission';
import { mountFaultRoutes } from './faultRoutes';
import { createFaults, type Faults } from './faults';
import { ingest } from './ingest';
import { createJobs, type JobOptions, type Jobs } from './jobs';
import { mountWebhookRoutes } from './webhooks/routes';
import { createDepthScanner, MAX_JSON_DEPTH } from './jsonDepth';
import { mountProfileRoutes } from './profileRoutes';
import { mountConsole } from './console/mount';
import { type CollectorConfig, createKeys, type EntityConfig, type Keys } from './keys';
import { DEFAULT_LIMITS, decodeBody, type Limits } from './limits';
import { createLogger, type LogOption, type Logger } from './log';
import { type BatchCounts, createMetrics, type Metrics } from './metrics';
import { mountOps, requestLog } from './ops';
import { MAX_READ } from './storage/index';
import { openStores, type Stores } from './storage/router';
import { StorageUnavailable } from './storage/sql';
import type { Storage } from './storage/types';
import { cycleDays, usageOf } from './usage';

export interface CollectorOptions {
  /** Keys, origins and allowances. */
  config: CollectorConfig;
  /** SQLite file for entities without a `store` in the config; ":memory:" by default. */
  dbPath?: string;
  /** Allow POST/DELETE /v1/admin/faults. */
  faults?: boolean;
  limits?: Partial<Limits>;
  now?: () => number;
  /** Where admin keys named by `adminKeyEnv` are read. */
  env?: NodeJS.ProcessEnv;
  /** How a store URL becomes a Storage (tests give each collector fresh databases). */
  openStorage?: (url: string) => Storage;
  /** JSON logs (a line per request, errors): on by default; false silences; or a pino logger. */
  log?: LogOption;
  /** Background jobs (jobs.ts): startCollector starts them unless false; tests call `jobs.run()`. */
  jobs?: JobOptions | false;
}

export interface Collector {
  app: Hono<Env>;
  /** Each distinct database once. */
  storages: Storage[];
  stores: Stores;
  keys: Keys;
  faults: Faults;
  metrics: Metrics;
  log: Logger;
  /** cart-abandoned, segment windows and webhook deliveries: `start()` on an interval, or `run()` once. */
  jobs: Jobs;
  /** Close every database (after the server stopped taking requests). */
  close(): Promise<void>;
}

type Env = { Variables: { entity: EntityConfig } & AdmissionEnv['Variables'] };

/** Seconds a client waits before resending after a database outage. */
const DB_RETRY_AFTER = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createCollector = (options: CollectorOptions): Collector => {
  const config = options.config;
  const now = options.now ?? Date.now;
  const keys = createKeys(config, options.env);
  const stores = openStores(config.entities, config.store ?? `sqlite:${options.dbPath ?? ':memory:'}`, options.openStorage);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const faults = createFaults(now);
  const deps = { keys, stores, rateLimit: config.rateLimit, limits, now };
  const app = new Hono<Env>();

  // --- ops: request log and metrics first, so they see every answer (ops.ts) ---
  const log = createLogger(options.log);
  const metrics = createMetrics();
  app.use('*', requestLog(log, metrics));
  mountOps(app, { storages: () => stores.all, metrics });
  // --- end ops ---

  // CORS on the tracker's route only: admin reads and faults are same-origin (the console) or
  // server-to-server, so no page of a store's origin may read an entity's admin data.
  app.use(
    '/v1/batch',
    cors({
      // Preflights come before the write key is known: any origin some entity allows passes
      // here, and the batch handler then checks the origin against the key's own list.
      origin: (origin) => (keys.anyOriginAllowed(origin) ? origin : null),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Content-Encoding'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );

  app.post(
    '/v1/batch',
    // Admission, then the body read within limits of size and time (admission.ts).
    admission(deps),
    async (c) => {
      const fault = options.faults ? faults.take() : undefined;
      if (fault?.delayMs) await sleep(fault.delayMs);
      const failWith = (status: 503 | 429 | 500) => {
        if (fault?.retryAfter !== undefined && status !== 500) c.header('Retry-After', String(fault.retryAfter));
        return c.json({ error: 'fault injected', retryAfter: fault?.retryAfter }, status);
      };
      if (fault?.status && !fault.storeThenFail && !fault.failIfContains) return failWith(fault.status);

      const encoding = (c.req.header('Content-Encoding') ?? c.req.query(ENCODING_PARAM) ?? 'identity').trim().toLowerCase();
      if (encoding !== 'gzip' && encoding !== 'identity') return c.json({ error: `unsupported encoding "${encoding.slice(0, 20)}"` }, 415);
      // Plain JSON is depth-scanned as it arrives; gzip once inflated (ingest.ts).
      const scanner = encoding === 'identity' ? createDepthScanner() : undefined;
      const tooDeep = `body nests deeper than ${MAX_JSON_DEPTH} levels`;
      const read = await readBody(c, limits.maxBodyBytes, limits.bodyReadMs, scanner && ((chunk) => (scanner.feed(chunk) ? undefined : tooDeep)));
      if (!read.ok) {
        unread(c); // the rest of the body was not read
        return c.json({ error: read.error }, read.status);
      }
      if (fault?.failIfContains && fault.status) {
        const decoded = await decodeBody(read.body, encoding === 'gzip', limits);
        if (decoded.ok && decoded.text.includes(fault.failIfContains)) return failWith(fault.status);
      }
      const { writeKey, bytesCharged, release } = c.var.admitted;
      const reply = await ingest(deps, {
        body: read.body,
        gzip: encoding === 'gzip',
        origin: c.req.header('Origin'),
        queryKey: writeKey,
        bytesCharged,
        parsed: release,
        authorization: c.req.header('Authorization'),
        userAgent: c.req.header('User-Agent'),
      });

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
  mountProfileRoutes(app, stores, admin, { reportTimeoutMs: limits.reportTimeoutMs });
  // The admin console at /admin/ and its API (console/); it reads c.var.entity only, so the
  // admission variables of the batch route do not concern it.
  const consoleApp = app as unknown as Parameters<typeof mountConsole>[0];
  mountConsole(consoleApp, { keys, stores, now, admin: admin as unknown as Parameters<typeof mountConsole>[1]['admin'] });
  mountWebhookRoutes(app, stores, admin, now);
  app.get('/v1/events', async (c) => {
    const limit = Number(c.req.query('limit') ?? 1000);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ) return c.json({ error: `limit must be 1–${MAX_READ}` }, 400);
    const { type, anonymousId, after } = c.req.query();
    const events = await stores.of(c.var.entity.entity).events(c.var.entity.entity, { type, anonymousId, after, limit });
    return c.json({ events });
  });
  app.get('/v1/usage', async (c) => {
    const entity = c.var.entity;
    const at = now();
    const cycle = cycleDays(entity, at);
    const store = stores.of(entity.entity);
    const [byDay, bots] = await Promise.all([store.usageDays(entity.entity, cycle.from, cycle.to), store.botCounts(entity.entity, cycle.from, cycle.to)]);
    return c.json({ usage: { ...usageOf(byDay, entity, at, cycle), bots } }); // bots: apart, never in `used`
  });

  mountFaultRoutes(app, options.faults ?? false, faults, keys);

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((error, c) => {
    // A client that hangs up mid-body is not the server's error: nobody reads this answer.
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return c.json({ error: 'request aborted' }, 400);
    // The database cannot answer now: nothing was half-stored (one transaction per batch), and
    // the tracker keeps the batch and sends it again after Retry-After.
    if (error instanceof StorageUnavailable) {
      metrics.countDbError();
      log.warn({ err: error.message, path: c.req.path }, 'storage unavailable');
      c.header('Retry-After', String(DB_RETRY_AFTER));
      return c.json({ error: 'storage unavailable, try again later', retryAfter: DB_RETRY_AFTER }, 503);
    }
    log.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal error' }, 500);
  });

  const jobs = createJobs(stores, config.entities, now, log, options.jobs || undefined);
  const close = async () => {
    await jobs.stop();
    await stores.close();
  };
  return { app, storages: stores.all, stores, keys, faults, metrics, log, jobs, close };
};

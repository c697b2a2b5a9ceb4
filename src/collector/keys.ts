// Who may write and who may read: write keys per entity with their allowed origins, and one
// admin key per entity for reads. Loaded from a JSON file (the demo's is demo/config/collector.json).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface EntityConfig {
  entity: string;
  /** Public keys, as written in the store's script tag. */
  writeKeys: string[];
  /** Page origins allowed to send with those keys; "*" allows any. */
  allowedOrigins: string[];
  /** Secret for reads; else read from the env variable `adminKeyEnv`; else generated at start. */
  adminKey?: string;
  adminKeyEnv?: string;
  /** Activities per billing cycle. */
  allowance: number;
  /** Day of the month a cycle starts (1–31, clamped to short months). */
  cycleStartDay: number;
  timeZone: string;
  /** The database of this entity's data (`postgres://…`, `sqlite:path`); else the config's. */
  store?: string;
}

export interface RateLimitConfig {
  /** Requests per second per write key, sustained. */
  perSecond: number;
  /** Requests a key may send at once before the rate applies. */
  burst: number;
}

export interface CollectorConfig {
  entities: EntityConfig[];
  rateLimit: RateLimitConfig;
  /** The database of entities without their own `store`. */
  store?: string;
}

const fail = (message: string): never => {
  throw new Error(`collector config: ${message}`);
};

/** Check a parsed config and fill defaults; a bad file stops the start with a clear message. */
export const parseConfig = (raw: unknown): CollectorConfig => {
  const config = (raw ?? {}) as Partial<CollectorConfig>;
  if (!Array.isArray(config.entities) || config.entities.length === 0) fail('"entities" must be a non-empty array');
  const entities = config.entities!.map((e, i): EntityConfig => {
    if (typeof e?.entity !== 'string' || !e.entity) fail(`entities[${i}].entity must be a string`);
    if (!Array.isArray(e.writeKeys) || !e.writeKeys.every((k) => typeof k === 'string' && k)) {
      fail(`entities[${i}].writeKeys must be an array of strings`);
    }
    const day = e.cycleStartDay ?? 1;
    if (!Number.isInteger(day) || day < 1 || day > 31) fail(`entities[${i}].cycleStartDay must be 1–31`);
    try {
      new Intl.DateTimeFormat('en', { timeZone: e.timeZone ?? 'UTC' });
    } catch {
      fail(`entities[${i}].timeZone "${e.timeZone}" is not a time zone`);
    }
    return {
      ...e,
      allowedOrigins: [...(e.allowedOrigins ?? [])],
      allowance: e.allowance ?? 10_000,
      cycleStartDay: day,
      timeZone: e.timeZone ?? 'UTC',
    };
  });
  return { entities, rateLimit: { perSecond: 50, burst: 100, ...config.rateLimit }, ...(config.store ? { store: config.store } : {}) };
};

export const loadConfig = (path: string): CollectorConfig =>
  parseConfig(JSON.parse(readFileSync(path, 'utf8')));

export interface Keys {
  /** The entity a write key belongs to. */
  byWriteKey(key: string): EntityConfig | undefined;
  /** The entity an admin key reads. */
  byAdminKey(key: string): EntityConfig | undefined;
  adminKeyOf(entity: string): string | undefined;
  originAllowed(entity: EntityConfig, origin: string | undefined): boolean;
  /** For preflights, which come before the key is known: allowed for some entity. */
  anyOriginAllowed(origin: string): boolean;
  /** Let an origin send for an entity (the demo adds its storefront's origin once it listens). */
  allowOrigin(entity: string, origin: string): void;
  entities: EntityConfig[];
}

export const createKeys = (config: CollectorConfig, env: NodeJS.ProcessEnv = process.env): Keys => {
  const writers = new Map<string, EntityConfig>();
  const admins = new Map<string, EntityConfig>();
  const adminOf = new Map<string, string>();
  for (const entity of config.entities) {
    for (const key of entity.writeKeys) writers.set(key, entity);
    const admin =
      entity.adminKey ?? (entity.adminKeyEnv && env[entity.adminKeyEnv]) ?? `sk_${entity.entity}_${randomBytes(16).toString('hex')}`;
    admins.set(admin, entity);
    adminOf.set(entity.entity, admin);
  }
  const originAllowed = (entity: EntityConfig, origin: string | undefined): boolean =>
    // No Origin header: not a browser (curl, a server, the bench). Origins only fence browsers.
    origin === undefined || entity.allowedOrigins.includes('*') || entity.allowedOrigins.includes(origin);
  return {
    byWriteKey: (key) => writers.get(key),
    byAdminKey: (key) => admins.get(key),
    adminKeyOf: (entity) => adminOf.get(entity),
    originAllowed,
    anyOriginAllowed: (origin) => config.entities.some((e) => originAllowed(e, origin)),
    allowOrigin: (name, origin) => {
      const entity = config.entities.find((e) => e.entity === name);
      if (entity && !entity.allowedOrigins.includes(origin)) entity.allowedOrigins.push(origin);
    },
    entities: config.entities,
  };
};

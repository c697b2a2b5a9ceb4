// The collector's config file (collector.json): entities with their keys, origins, allowance
// and database, the shared rate limit, the default database. Everything is checked here, at
// start-up, so a bad file stops the start with a message naming the field and nothing fails
// later, mid-request. Secrets may stay out of the file: `adminKeyEnv` and `storeEnv` name
// environment variables.
import { readFileSync } from 'node:fs';
import { lookup } from '../catalog';
import { type BotPolicy, parseBotPolicy } from './bots';
import { parseSegments, type SegmentRule } from './derived/segmentRules';
import { parseWebhooks, type WebhookRule } from './webhooks/rules';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from '../schema';
import { DEFAULT_RATE } from './rateLimit';

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
  /** The database holding this entity's data (from `store` or `storeEnv`); else the default. */
  store?: string;
  storeEnv?: string;
  /** Secret keys of the store's back end (the Node SDK), resolved from `serverKeysEnv` too. */
  serverKeys?: string[];
  /** An environment variable holding server keys, comma-separated (to rotate: old,new). */
  serverKeysEnv?: string;
  /** Hours without a purchase after the last cart addition before `cart-abandoned` (4). */
  cartAbandonedAfterHours?: number;
  segments?: SegmentRule[];
  webhooks?: WebhookRule[];
  /** Events of bots (src/collector/bots.ts): stored flagged and free ("flag", the default) or dropped. */
  bots?: BotPolicy;
}

export interface RateLimitConfig {
  /** Requests per second per write key, sustained. */
  perSecond: number;
  /** Requests a key may send at once before the rate applies. */
  burst: number;
  /** Events per second per write key, sustained, and at once (defaults in rateLimit.ts DEFAULT_RATE). */
  eventsPerSecond?: number;
  eventsBurst?: number;
  /** Bytes on the wire per second per write key, sustained, and at once. */
  bytesPerSecond?: number;
  bytesBurst?: number;
}

export interface CollectorConfig {
  entities: EntityConfig[];
  rateLimit: RateLimitConfig;
  /** The default database (from `store` or `storeEnv`); none means SQLite in memory or the caller's file. */
  store?: string;
  storeEnv?: string;
}

const TOP_KEYS = ['$schema', 'entities', 'rateLimit', 'store', 'storeEnv'];
const ENTITY_KEYS = [
  'entity',
  'writeKeys',
  'allowedOrigins',
  'adminKey',
  'adminKeyEnv',
  'allowance',
  'cycleStartDay',
  'timeZone',
  'store',
  'storeEnv',
  'serverKeys',
  'serverKeysEnv',
  'cartAbandonedAfterHours',
  'segments',
  'webhooks',
  'bots',
];
const RATE_KEYS = ['perSecond', 'burst', 'eventsPerSecond', 'eventsBurst', 'bytesPerSecond', 'bytesBurst'] as const;

class ConfigError extends Error {
  override name = 'ConfigError';
}

const fail = (path: string, message: string): never => {
  throw new ConfigError(`collector config: ${path ? `${path}: ` : ''}${message}`);
};

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 100) ?? String(value);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A typo such as "alowance" would silently fall back to the default: say so instead. */
const checkKeys = (path: string, value: Record<string, unknown>, allowed: string[]) => {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length) fail(path, `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${allowed.join(', ')})`);
};

const optionalString = (path: string, value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value) fail(path, `must be a non-empty string, got ${show(value)}`);
  return value as string;
};

/** A database URL with its password replaced, fit for logs, errors and /readyz. */
export const hidePassword = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
};

/** Why a store URL is unusable, or undefined when it is fine. */
export const storeUrlProblem = (url: string): string | undefined => {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      if (!new URL(url).hostname && !/[?&]host=/.test(url)) return 'names no host';
      return undefined;
    } catch {
      return 'is not a valid URL';
    }
  }
  if (/^sqlite:/i.test(url)) return url.slice('sqlite:'.length) ? undefined : 'names no file (use sqlite:path/to/file.db or sqlite::memory:)';
  return 'is not a postgres:// or sqlite: URL';
};

/** `store` or `storeEnv` of one level of the file, resolved to a checked URL. */
const resolveStore = (path: string, level: Record<string, unknown>, env: NodeJS.ProcessEnv): string | undefined => {
  const store = optionalString(`${path}store`, level.store);
  const name = optionalString(`${path}storeEnv`, level.storeEnv);
  if (store !== undefined && name !== undefined) fail(`${path}storeEnv`, 'give "store" or "storeEnv", not both');
  if (store !== undefined) {
    const problem = storeUrlProblem(store);
    if (problem) fail(`${path}store`, `${show(hidePassword(store))} ${problem}`);
    return store;
  }
  if (name === undefined) return undefined;
  const value = env[name];
  if (!value) fail(`${path}storeEnv`, `environment variable ${name} is not set`);
  const problem = storeUrlProblem(value!);
  if (problem) fail(`${path}storeEnv`, `environment variable ${name} = ${show(hidePassword(value!))} ${problem}`);
  return value;
};

const positive = (path: string, value: unknown, integer: boolean): number => {
  const ok = typeof value === 'number' && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!ok) fail(path, `must be a positive ${integer ? 'integer' : 'number'}, got ${show(value)}`);
  return value as number;
};

const stringArray = (path: string, value: unknown): string[] => {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v)) fail(path, 'must be an array of non-empty strings');
  return [...(value as string[])];
};

const parseEntity = (raw: unknown, i: number, env: NodeJS.ProcessEnv): EntityConfig => {
  const path = `entities[${i}]`;
  if (!isObject(raw)) return fail(path, 'must be an object');
  checkKeys(path, raw, ENTITY_KEYS);
  if (typeof raw.entity !== 'string' || !raw.entity) fail(`${path}.entity`, 'must be a non-empty string');
  const writeKeys = stringArray(`${path}.writeKeys`, raw.writeKeys);
  if (writeKeys.length === 0) fail(`${path}.writeKeys`, 'must hold at least one key');
  const allowedOrigins = raw.allowedOrigins === undefined ? [] : stringArray(`${path}.allowedOrigins`, raw.allowedOrigins);
  const adminKey = optionalString(`${path}.adminKey`, raw.adminKey);
  const adminKeyEnv = optionalString(`${path}.adminKeyEnv`, raw.adminKeyEnv);
  const allowance = raw.allowance === undefined ? 10_000 : positive(`${path}.allowance`, raw.allowance, true);
  const day = raw.cycleStartDay ?? 1;
  if (!Number.isInteger(day) || (day as number) < 1 || (day as number) > 31) fail(`${path}.cycleStartDay`, `must be an integer 1–31, got ${show(day)}`);
  const timeZone = raw.timeZone ?? 'UTC';
  try {
    if (typeof timeZone !== 'string') throw new Error();
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    fail(`${path}.timeZone`, `${show(timeZone)} is not a time zone`);
  }
  const store = resolveStore(`${path}.`, raw, env);
  const entity: EntityConfig = {
    entity: raw.entity as string,
    writeKeys,
    allowedOrigins,
    allowance,
    cycleStartDay: day as number,
    timeZone: timeZone as string,
  };
  // Optional fields only when given, so a printed config shows what the file said.
  if (adminKey !== undefined) entity.adminKey = adminKey;
  if (adminKeyEnv !== undefined) entity.adminKeyEnv = adminKeyEnv;
  if (store !== undefined) entity.store = store;
  if (raw.storeEnv !== undefined) entity.storeEnv = raw.storeEnv as string;
  if (raw.bots !== undefined) entity.bots = parseBotPolicy(`${path}.bots`, raw.bots, fail);
  Object.assign(entity, parsePlatform(path, raw, env));
  return entity;
};

/** Server keys are secrets: long enough not to be guessed. */
const MIN_SERVER_KEY = 16;

const isType = (type: string) => lookup(type) !== undefined;

/** The fields of issue 16 (server keys, derived events, segments, webhooks), only those given. */
const parsePlatform = (path: string, raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Partial<EntityConfig> => {
  const out: Partial<EntityConfig> = {};
  const keys = raw.serverKeys === undefined ? [] : stringArray(`${path}.serverKeys`, raw.serverKeys);
  const keysEnv = optionalString(`${path}.serverKeysEnv`, raw.serverKeysEnv);
  if (keysEnv !== undefined) {
    const value = env[keysEnv];
    if (!value) fail(`${path}.serverKeysEnv`, `environment variable ${keysEnv} is not set`);
    keys.push(
      ...value!
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    );
    out.serverKeysEnv = keysEnv;
  }
  for (const key of keys) {
    // Never print a secret: say which one by its position only.
    if (key.length < MIN_SERVER_KEY) fail(`${path}.serverKeys`, `a server key is shorter than ${MIN_SERVER_KEY} characters`);
  }
  if (keys.length) out.serverKeys = [...new Set(keys)];
  if (raw.cartAbandonedAfterHours !== undefined) out.cartAbandonedAfterHours = positive(`${path}.cartAbandonedAfterHours`, raw.cartAbandonedAfterHours, false);
  if (raw.segments !== undefined) out.segments = parseSegments(`${path}.segments`, raw.segments, isType, fail);
  if (raw.webhooks !== undefined) out.webhooks = parseWebhooks(`${path}.webhooks`, raw.webhooks, isType, env, fail);
  return out;
};

/** Two entities sharing a name, a write key or an admin key would read or write each other's data. */
const checkUnique = (entities: EntityConfig[], env: NodeJS.ProcessEnv) => {
  const seen = { entity: new Map<string, number>(), writeKey: new Map<string, number>(), adminKey: new Map<string, number>() };
  entities.forEach((e, i) => {
    const first = seen.entity.get(e.entity);
    if (first !== undefined) fail(`entities[${i}].entity`, `"${e.entity}" is already the name of entities[${first}]`);
    seen.entity.set(e.entity, i);
    for (const key of new Set(e.writeKeys)) {
      const owner = seen.writeKey.get(key);
      if (owner !== undefined) fail(`entities[${i}].writeKeys`, `"${key}" is already a write key of entities[${owner}]`);
      seen.writeKey.set(key, i);
    }
    if (e.adminKey !== undefined) {
      const owner = seen.adminKey.get(e.adminKey);
      if (owner !== undefined) fail(`entities[${i}].adminKey`, `is already the admin key of entities[${owner}]`);
      seen.adminKey.set(e.adminKey, i);
    }
  });
  checkServerKeys(entities, env);
};

/** A server key reused as a write key (public) or an admin key would give its holder both rights. */
const checkServerKeys = (entities: EntityConfig[], env: NodeJS.ProcessEnv) => {
  const other = new Set<string>();
  for (const e of entities) {
    e.writeKeys.forEach((k) => other.add(k));
    const admin = e.adminKey ?? (e.adminKeyEnv ? env[e.adminKeyEnv] : undefined);
    if (admin) other.add(admin);
  }
  const owner = new Map<string, number>();
  entities.forEach((e, i) => {
    for (const key of e.serverKeys ?? []) {
      if (other.has(key)) fail(`entities[${i}].serverKeys`, 'a server key is also a write key or an admin key; give it its own secret');
      const first = owner.get(key);
      if (first !== undefined && first !== i) fail(`entities[${i}].serverKeys`, `a server key is already one of entities[${first}]`);
      owner.set(key, i);
    }
  });
};

const parseRateLimit = (raw: unknown): Required<RateLimitConfig> => {
  if (raw === undefined) return { ...DEFAULT_RATE };
  if (!isObject(raw)) return fail('rateLimit', 'must be an object');
  checkKeys('rateLimit', raw, [...RATE_KEYS]);
  const rate = { ...DEFAULT_RATE } as Required<RateLimitConfig>;
  for (const key of RATE_KEYS) if (raw[key] !== undefined) rate[key] = positive(`rateLimit.${key}`, raw[key], false);
  // A burst below one unit would refuse every request; one tracker batch (64 KiB, 500 events) must fit.
  if (rate.burst < 1) fail('rateLimit.burst', `must be at least 1, got ${show(rate.burst)}`);
  if (rate.eventsBurst < MAX_BATCH_EVENTS) fail('rateLimit.eventsBurst', `must be at least ${MAX_BATCH_EVENTS} (one full batch), got ${show(rate.eventsBurst)}`);
  if (rate.bytesBurst < MAX_BATCH_BYTES) fail('rateLimit.bytesBurst', `must be at least ${MAX_BATCH_BYTES} (one full batch), got ${show(rate.bytesBurst)}`);
  return rate;
};

/** Check a parsed config, resolve the env variables it names and fill defaults. */
export const parseConfig = (raw: unknown, env: NodeJS.ProcessEnv = process.env): CollectorConfig => {
  if (!isObject(raw)) return fail('', 'must be a JSON object');
  checkKeys('', raw, TOP_KEYS);
  if (!Array.isArray(raw.entities) || raw.entities.length === 0) fail('entities', 'must be a non-empty array');
  const entities = (raw.entities as unknown[]).map((e, i) => parseEntity(e, i, env));
  checkUnique(entities, env);
  const config: CollectorConfig = { entities, rateLimit: parseRateLimit(raw.rateLimit) };
  const store = resolveStore('', raw, env);
  if (store !== undefined) config.store = store;
  if (raw.storeEnv !== undefined) config.storeEnv = raw.storeEnv as string;
  return config;
};

/** Read and check a config file; every failure is an Error saying which file and why. */
export const loadConfig = (path: string, env: NodeJS.ProcessEnv = process.env): CollectorConfig => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`collector config: cannot read ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`collector config: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, env);
};

export const isConfigError = (error: unknown): boolean => error instanceof ConfigError;

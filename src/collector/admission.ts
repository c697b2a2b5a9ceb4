// Admission of POST /v1/batch, before its body is read: what a request costs must be decided
// before it is paid. With `?writeKey=` in the query string (fetch, keepalive and sendBeacon can
// all put it there), an unknown key (401) or a foreign origin (403) is refused unread, and the
// key's request and byte budgets are charged from Content-Length (429 when spent). Every batch
// then needs a slot of the in-flight gate, and batches without a query key (old clients, or
// anyone) may hold only part of the slots: beyond, 503 with Retry-After, unread.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { EntityConfig, Keys, RateLimitConfig } from './keys';
import { createGate, enterAll } from './inflight';
import type { Limits } from './limits';
import { budgets } from './rateLimit';
import type { Stores } from './storage/router';

/** The query parameter that carries the write key. */
export const WRITE_KEY_PARAM = 'writeKey';
const TOO_MANY = 'too many requests, events or bytes for this write key';
/** How long a refused key is refused from memory (see createThrottled). */
const THROTTLE_MEMORY_S = 1;
/** Seconds a client waits when every slot is taken. */
export const BUSY_RETRY_AFTER = 1;

export interface Admitted {
  /** The key from the query string, checked and charged one request; undefined for old clients. */
  writeKey?: string;
  entity?: EntityConfig;
  /** The body's bytes were charged from Content-Length. */
  bytesCharged: boolean;
  /** Frees the in-flight slot: once the batch is parsed and validated, or when the request ends. */
  release: () => void;
}

export type AdmissionEnv = { Variables: { admitted: Admitted } };

export interface AdmissionDeps {
  keys: Keys;
  stores: Stores;
  rateLimit: RateLimitConfig;
  limits: Limits;
  now: () => number;
}

const UNREAD_DRAIN_BYTES = 64 * 1024;

/**
 * An answer given before the body was read: the connection closes after it, so the server does
 * not spend its time receiving and discarding the upload (browsers reconnect for the next batch).
 */
export const unread = (c: Context) => {
  const length = declaredLength(c);
  // A small rest is cheaper to drain than a new connection is to open.
  if (length === undefined || length > UNREAD_DRAIN_BYTES) c.header('Connection', 'close');
};

const refuse = (c: Context, status: 401 | 403 | 413 | 429 | 503, error: string, retryAfter?: number) => {
  unread(c);
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  return c.json(retryAfter === undefined ? { error } : { error, retryAfter }, status);
};

/** Content-Length as a number of bytes, when the client declared one. */
const declaredLength = (c: Context): number | undefined => {
  const header = c.req.header('Content-Length');
  if (header === undefined || !/^\d{1,15}$/.test(header.trim())) return undefined;
  return Number(header);
};

/**
 * Keys just refused, for a second at most: a key that keeps sending through its 429s is refused
 * here, without a database round trip each time. A second, not the whole Retry-After: the key is
 * shared by every shopper of a store, and a smaller batch may fit its budget sooner than the one
 * refused. Safe across replicas: a bucket's state only ever moves later.
 */
const createThrottled = (max = 10_000) => {
  const until = new Map<string, number>();
  return {
    wait(key: string, now: number): number {
      const end = until.get(key);
      if (end === undefined) return 0;
      if (end > now) return Math.ceil((end - now) / 1000);
      until.delete(key);
      return 0;
    },
    hold(key: string, now: number, seconds: number) {
      if (until.size >= max) until.clear(); // a flood of distinct keys: forget, the database still decides
      until.set(key, now + seconds * 1000);
    },
  };
};

export const admission = (deps: AdmissionDeps) => {
  const all = createGate(deps.limits.maxInFlight);
  const unkeyed = createGate(deps.limits.maxUnkeyedInFlight);
  const throttled = createThrottled();
  return createMiddleware<AdmissionEnv>(async (c, next) => {
    const writeKey = c.req.query(WRITE_KEY_PARAM);
    let entity: EntityConfig | undefined;
    if (writeKey !== undefined) {
      entity = deps.keys.byWriteKey(writeKey);
      if (!entity) return refuse(c, 401, 'unknown write key');
      const origin = c.req.header('Origin');
      if (!deps.keys.originAllowed(entity, origin)) return refuse(c, 403, `origin ${String(origin).slice(0, 200)} may not send for this key`);
      const waiting = throttled.wait(writeKey, deps.now());
      if (waiting > 0) return refuse(c, 429, TOO_MANY, waiting);
    }
    if ((declaredLength(c) ?? 0) > deps.limits.maxBodyBytes) return refuse(c, 413, `body over ${deps.limits.maxBodyBytes} bytes`);
    const release = enterAll(writeKey === undefined ? [all, unkeyed] : [all]);
    if (!release) return refuse(c, 503, 'collector busy, try again later', BUSY_RETRY_AFTER);
    try {
      let bytesCharged = false;
      if (writeKey !== undefined && entity) {
        const length = declaredLength(c);
        const budget = budgets(writeKey, deps.rateLimit);
        const takes = length === undefined ? [budget.requests()] : [budget.requests(), budget.bytes(length)];
        const wait = await deps.stores.of(entity.entity).takeTokens(takes, deps.now());
        if (wait > 0) {
          throttled.hold(writeKey, deps.now(), Math.min(wait, THROTTLE_MEMORY_S));
          return refuse(c, 429, TOO_MANY, wait);
        }
        bytesCharged = length !== undefined;
      }
      c.set('admitted', { writeKey, entity, bytesCharged, release });
      await next();
    } finally {
      release();
    }
  });
};

export type Body = { ok: true; body: Buffer } | { ok: false; status: 400 | 408 | 413; error: string };

/**
 * Read the body, at most `maxBytes` of it (413 beyond, at once when Content-Length says so), and
 * within `ms` (408 after: a trickling client does not hold its slot for the server's 30 s);
 * `inspect` may refuse it chunk by chunk (400), leaving the rest unread.
 */
export const readBody = async (c: Context, maxBytes: number, ms: number, inspect?: (chunk: Uint8Array) => string | undefined): Promise<Body> => {
  const tooLarge: Body = { ok: false, status: 413, error: `body over ${maxBytes} bytes` };
  if ((declaredLength(c) ?? 0) > maxBytes) return tooLarge;
  const stream = c.req.raw.body;
  if (!stream) return { ok: true, body: Buffer.alloc(0) };
  const reader = stream.getReader();
  const late = Symbol('late');
  let timeUp = () => {};
  const deadline = new Promise<typeof late>((resolve) => (timeUp = () => resolve(late)));
  const timer = setTimeout(() => timeUp(), ms);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === late) return { ok: false, status: 408, error: `body not received within ${ms} ms` };
      if (next.done) return { ok: true, body: Buffer.concat(chunks, size) };
      size += next.value.length;
      if (size > maxBytes) return tooLarge;
      const refused = inspect?.(next.value);
      if (refused) return { ok: false, status: 400, error: refused };
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    // What is left of the body is not wanted: let it go (a hung-up client rejects here).
    reader.cancel().catch(() => undefined);
  }
};

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

const refuse = (c: Context, status: 401 | 403 | 429 | 503, error: string, retryAfter?: number) => {
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  return c.json(retryAfter === undefined ? { error } : { error, retryAfter }, status);
};

/** Content-Length as a number of bytes, when the client declared one. */
const declaredLength = (c: Context): number | undefined => {
  const header = c.req.header('Content-Length');
  if (header === undefined || !/^\d{1,15}$/.test(header.trim())) return undefined;
  return Number(header);
};

export const admission = (deps: AdmissionDeps) => {
  const all = createGate(deps.limits.maxInFlight);
  const unkeyed = createGate(deps.limits.maxUnkeyedInFlight);
  return createMiddleware<AdmissionEnv>(async (c, next) => {
    const writeKey = c.req.query(WRITE_KEY_PARAM);
    let entity: EntityConfig | undefined;
    if (writeKey !== undefined) {
      entity = deps.keys.byWriteKey(writeKey);
      if (!entity) return refuse(c, 401, 'unknown write key');
      const origin = c.req.header('Origin');
      if (!deps.keys.originAllowed(entity, origin)) return refuse(c, 403, `origin ${String(origin).slice(0, 200)} may not send for this key`);
    }
    if ((declaredLength(c) ?? 0) > deps.limits.maxBodyBytes) return c.json({ error: `body over ${deps.limits.maxBodyBytes} bytes` }, 413);
    const release = enterAll(writeKey === undefined ? [all, unkeyed] : [all]);
    if (!release) return refuse(c, 503, 'collector busy, try again later', BUSY_RETRY_AFTER);
    try {
      let bytesCharged = false;
      if (writeKey !== undefined && entity) {
        const length = declaredLength(c);
        const budget = budgets(writeKey, deps.rateLimit);
        const takes = length === undefined ? [budget.requests()] : [budget.requests(), budget.bytes(length)];
        const wait = await deps.stores.of(entity.entity).takeTokens(takes, deps.now());
        if (wait > 0) return refuse(c, 429, 'too many requests, events or bytes for this write key', wait);
        bytesCharged = length !== undefined;
      }
      c.set('admitted', { writeKey, entity, bytesCharged, release });
      await next();
    } finally {
      release();
    }
  });
};

export type Body = { ok: true; body: Buffer } | { ok: false; status: 408 | 413; error: string };

/**
 * Read the body, at most `maxBytes` of it (413 beyond, at once when Content-Length says so), and
 * within `ms` (408 after: a trickling client does not hold its slot for the server's 30 s).
 */
export const readBody = async (c: Context, maxBytes: number, ms: number): Promise<Body> => {
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
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    // What is left of the body is not wanted: let it go (a hung-up client rejects here).
    reader.cancel().catch(() => undefined);
  }
};

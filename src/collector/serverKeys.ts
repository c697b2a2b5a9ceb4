// Server keys (issue 16): a secret per entity for the store's back end, sent as
// `Authorization: Bearer <serverKey>`. Only a server key may send platform-only types, events
// with a customer id and no browser, and a library other than `shoptrail`. Secrets are looked
// up in constant time: the candidate's hash is compared with every key's hash, all of them,
// with timingSafeEqual, so the time taken says nothing about how close a guess was.
import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from '../lib/zod';
import { MAX_BATCH_EVENTS } from '../protocol';
import { batchRequestSchema, formatIssues, validateEnvelope, type Checked, type Envelope } from '../schema';
import { validateServerEnvelope } from '../server/envelope';
import type { EntityConfig, Keys } from './keys';

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/** A lookup of secrets that takes the same time whichever key (or none) matches. */
export const secretIndex = <T>(entries: Array<[string, T]>) => {
  const hashed = entries.map(([secret, value]) => [digest(secret), value] as const);
  return (candidate: string): T | undefined => {
    const hash = digest(candidate);
    let found: T | undefined;
    for (const [key, value] of hashed) if (timingSafeEqual(hash, key) && found === undefined) found = value;
    return found;
  };
};

/** The token of an `Authorization: Bearer …` header. */
export const bearer = (header: string | undefined): string | undefined => /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() || undefined;

/** The rate-limit bucket of a server key: a hash, so the secret is never stored. */
export const serverBucket = (key: string) => `server:${digest(key).toString('hex').slice(0, 32)}`;

/** A batch from a server key: the key is in the header, so the body needs no writeKey. */
export const serverBatchSchema = z.object({
  writeKey: z.optional(z.string().check(z.maxLength(200))),
  sentAt: z.iso.datetime(),
  batchId: z.string().check(z.minLength(1), z.maxLength(100)),
  events: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH_EVENTS)),
});

export interface Sender {
  entity: EntityConfig;
  /** The token bucket this request takes from. */
  bucket: string;
  events: unknown[];
  /** When the client says it sent the batch: how far its clock is off (clock.ts). */
  sentAt: string;
  validate: (raw: unknown) => Checked<Envelope>;
}

export type Refusal = { status: number; error: string };

/**
 * Who sends this batch and how its events are checked: a server key in the Authorization
 * header (any catalog type), else the body's public write key (browser types only).
 */
export const senderOf = (keys: Keys, raw: unknown, authorization: string | undefined, origin: string | undefined): Sender | Refusal => {
  if (authorization !== undefined) {
    const key = bearer(authorization);
    const entity = key ? keys.byServerKey(key) : undefined;
    if (!entity) return { status: 401, error: 'unknown server key' };
    // A page that sends a server key has leaked it to every visitor.
    if (origin !== undefined) return { status: 403, error: 'server keys are secret: never send them from a browser' };
    const batch = serverBatchSchema.safeParse(raw);
    if (!batch.success) return { status: 400, error: formatIssues('batch', batch.error.issues) };
    return { entity, bucket: serverBucket(key!), events: batch.data.events, sentAt: batch.data.sentAt, validate: validateServerEnvelope };
  }
  const batch = batchRequestSchema.safeParse(raw);
  if (!batch.success) return { status: 400, error: formatIssues('batch', batch.error.issues) };
  const entity = keys.byWriteKey(batch.data.writeKey);
  if (!entity) return { status: 401, error: 'unknown write key' };
  if (!keys.originAllowed(entity, origin)) return { status: 403, error: `origin ${String(origin).slice(0, 200)} may not send for this key` };
  return { entity, bucket: batch.data.writeKey, events: batch.data.events, sentAt: batch.data.sentAt, validate: validateEnvelope };
};

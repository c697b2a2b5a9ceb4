// Console sessions: a stateless token in an HttpOnly, SameSite=Strict cookie, so the admin key
// never sits in a URL or in the page's storage. The token is `entity.expiry.signature`, an
// HMAC-SHA256 keyed by a secret derived from the entity's admin key: every replica with the
// same config verifies it without a sessions table, and changing an admin key signs out every
// session of that entity. Sign-out clears the cookie (a copied token lives until its expiry).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Keys } from '../keys';

export const COOKIE = 'shoptrail_console';
/** Twelve hours: a working day, then sign in again. */
export const SESSION_SECONDS = 12 * 3600;

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** The per-entity signing secret: only someone holding the admin key can mint it. */
const secretOf = (adminKey: string) => createHmac('sha256', adminKey).update('shoptrail-console-session-v1').digest();

const sign = (adminKey: string, payload: string) => createHmac('sha256', secretOf(adminKey)).update(payload).digest('base64url');

/** A token for one entity, valid until `now + SESSION_SECONDS`. */
export const issueToken = (keys: Keys, entity: string, now: number): string => {
  const payload = `${b64(entity)}.${Math.floor(now / 1000) + SESSION_SECONDS}`;
  return `${payload}.${sign(keys.adminKeyOf(entity)!, payload)}`;
};

/** The entity a token reads and when it expires, or undefined when forged, unknown or expired. */
export const verifyToken = (keys: Keys, token: string | undefined, now: number): { entity: string; expires: number } | undefined => {
  const [name, expiry, signature] = (token ?? '').split('.');
  if (!name || !expiry || !signature || !/^\d{1,12}$/.test(expiry)) return undefined;
  const entity = Buffer.from(name, 'base64url').toString();
  const adminKey = keys.adminKeyOf(entity);
  if (!adminKey) return undefined;
  const expected = Buffer.from(sign(adminKey, `${name}.${expiry}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const expires = Number(expiry) * 1000;
  return expires > now ? { entity, expires } : undefined;
};

/** The Set-Cookie value; `Secure` when the request came over HTTPS (directly or through the proxy). */
export const cookie = (token: string, maxAge: number, secure: boolean): string =>
  `${COOKIE}=${token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

/** The session token of a Cookie header. */
export const tokenOf = (header: string | undefined): string | undefined =>
  header
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);

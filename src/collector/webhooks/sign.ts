// Webhook signatures: `Shoptrail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
// with the rule's secret. The timestamp is signed too, so a captured delivery cannot be replayed
// later: receivers refuse signatures older than a few minutes (verifyWebhook's tolerance).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Shoptrail-Signature';
export const DELIVERY_HEADER = 'Shoptrail-Delivery';
export const EVENT_HEADER = 'Shoptrail-Event';

const hmac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

/** The Shoptrail-Signature header value for a body sent at `now` (ms). */
export const signWebhook = (secret: string, body: string, now: number): string => {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
};

/** For receivers: true when the header signs this exact body with this secret, recently enough. */
export const verifyWebhook = (secret: string, header: string | null | undefined, body: string, now = Date.now(), toleranceSeconds = 300): boolean => {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

// The wire format as schemas, for the collector: the browser builds envelopes and batches
// itself and only validates event bodies, so this file stays out of the script-tag bundle.
import * as z from '../lib/zod';
import { type Envelope, WIRE_VERSION } from '../envelope';
import { browserType, type Checked, formatIssues, invalid, validateBody } from '../validate';
import { MAX_BATCH_EVENTS } from '../protocol';
import { id, text, url } from './fields';

const utmValue = z.optional(text(500));

export const utmSchema = z.object({
  source: utmValue,
  medium: utmValue,
  campaign: utmValue,
  content: utmValue,
  term: utmValue,
  id: utmValue,
  gclid: utmValue,
  gbraid: utmValue,
  wbraid: utmValue,
  fbclid: utmValue,
  msclkid: utmValue,
  ttclid: utmValue,
  twclid: utmValue,
  li_fat_id: utmValue,
  dclid: utmValue,
});

export const contextSchema = z.object({
  page: z.object({ url: text(2048), path: text(2048), title: text(500), referrer: url }),
  utm: z.optional(utmSchema),
  locale: z.optional(text(35)),
  library: z.object({ name: z.literal('shoptrail'), version: text(50) }),
});

/** The envelope without its body, which is checked against its type's own schema. */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().check(z.regex(/^[a-z][a-z-]{1,60}$/)),
  v: z.literal(WIRE_VERSION),
  entity: z.string().check(z.regex(/^(-|[\w.-]{1,100})$/)),
  anonymousId: id,
  customerId: z.optional(id),
  sessionId: id,
  createdAt: z.iso.datetime(),
  context: contextSchema,
  body: z.unknown(),
});

/** Validate one event as the collector receives it: envelope, type allowed from a browser, body. */
export const validateEnvelope = (raw: unknown): Checked<Envelope> => {
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) return invalid('invalid-envelope', formatIssues('event', parsed.error.issues));
  const event = parsed.data;
  const type = browserType(event.type);
  if (!type.ok) return type;
  const body = validateBody(event.type, type.value, event.body);
  if (!body.ok) return body;
  return { ok: true, value: { ...event, body: body.value } as Envelope };
};

/** A batch request; its events are validated one by one with `validateEnvelope`. */
export const batchRequestSchema = z.object({
  writeKey: z.string().check(z.minLength(1), z.maxLength(200)),
  sentAt: z.iso.datetime(),
  batchId: z.string().check(z.minLength(1), z.maxLength(100)),
  events: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH_EVENTS)),
});

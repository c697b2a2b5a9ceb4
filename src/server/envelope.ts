// The envelope a store's back end sends with a server key (src/server, the collector's
// serverKeys.ts): the browser's envelope, except that any catalog type is allowed (platform
// ones too), the library may be any name, there is no page, and a customer id may stand
// without a browser (anonymousId and sessionId are optional, one of the two ids is required).
import * as z from '../lib/zod';
import { lookup } from '../catalog';
import type { Envelope } from '../envelope';
import { WIRE_VERSION } from '../envelope';
import { id, text, url } from '../schemas/fields';
import { utmSchema } from '../schemas/wire';
import { type Checked, formatIssues, invalid, validateBody } from '../validate';

export const serverContextSchema = z.object({
  page: z.optional(z.object({ url: text(2048), path: z.optional(text(2048)), title: z.optional(text(500)), referrer: url })),
  utm: z.optional(utmSchema),
  locale: z.optional(text(35)),
  library: z.object({ name: text(100), version: text(50) }),
});

export const serverEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().check(z.regex(/^[a-z][a-z-]{1,60}$/)),
  v: z.literal(WIRE_VERSION),
  entity: z.string().check(z.regex(/^(-|[\w.-]{1,100})$/)),
  anonymousId: z.optional(id),
  customerId: z.optional(id),
  sessionId: z.optional(id),
  createdAt: z.iso.datetime(),
  context: serverContextSchema,
  body: z.unknown(),
});

/** Validate one event from a server key: envelope, any catalog type, its body. */
export const validateServerEnvelope = (raw: unknown): Checked<Envelope> => {
  const parsed = serverEnvelopeSchema.safeParse(raw);
  if (!parsed.success) return invalid('invalid-envelope', formatIssues('event', parsed.error.issues));
  const event = parsed.data;
  const entry = lookup(event.type);
  if (!entry) return invalid('unknown-type', `unknown event type "${event.type}"`);
  if (!event.customerId && !event.anonymousId) return invalid('invalid-envelope', 'event: give a customerId or an anonymousId');
  const body = validateBody(event.type, entry, event.body);
  if (!body.ok) return body;
  return { ok: true, value: { ...event, body: body.value } as Envelope };
};

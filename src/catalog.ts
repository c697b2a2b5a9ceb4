// The catalog: every event type Shoptrail knows, as data. The tracker, the collector, the
// tests and the README all read this one table (see DESIGN.md "Catalog" and seed 000).
import * as z from './lib/zod';
import { currency, email, id, integer, oneOf, label, lineItem, money, optionalId, properties, quantity, text, url } from './schemas/fields';

/** Who may emit a type. `auto` and `call` types are accepted by the browser's `track`. */
export type Origin = 'auto' | 'call' | 'platform' | 'disused' | 'sdk';
/** What is shed first when the allowance runs low; `essential` never is. */
export type Priority = 'essential' | 'normal' | 'low';

export interface CatalogEntry {
  /** Schema of the event's `body`. */
  body: z.ZodMiniType;
  /** Consumes one activity of the monthly allowance. */
  billable: boolean;
  priority: Priority;
  origin: Origin;
}

const empty = z.object({});
const loose = properties;

const page = z.object({
  url,
  path: z.optional(text(2048)),
  title: z.optional(text(500)),
  referrer: url,
  category: z.optional(text(200)),
});

const product = z.object({
  productId: id,
  variantId: optionalId,
  sku: optionalId,
  name: z.optional(text(500)),
  price: z.optional(money),
  currency: z.optional(currency),
  availability: z.optional(text(100)),
  brand: z.optional(text(200)),
  category: z.optional(text(500)),
  url,
  imageUrl: url,
});

const search = z.object({
  query: label(500),
  resultCount: z.optional(integer(0, 1e9)),
  category: z.optional(text(200)),
});

const cartChange = z.object({
  productId: id,
  variantId: optionalId,
  sku: optionalId,
  name: z.optional(text(500)),
  quantity,
  price: z.optional(money),
  currency: z.optional(currency),
  cartId: optionalId,
});

const purchase = z.object({
  orderId: id,
  value: money,
  currency,
  items: z.array(lineItem).check(z.maxLength(500)),
  tax: z.optional(money),
  shipping: z.optional(money),
  coupon: z.optional(text(200)),
});

const form = z.object({
  formId: z.optional(text(200)),
  formName: z.optional(text(200)),
  action: url,
  /** Field *names*, never values (DESIGN.md "Privacy"). */
  fields: z.array(text(200)).check(z.maxLength(200)),
  /** Values only of fields the store marked `data-shoptrail-allow` (never secret ones). */
  values: z.optional(z.catchall(z.object({}), text(500))), // catchall: cheaper than z.record
});

const account = z.object({
  method: z.optional(text(100)),
  customerId: optionalId,
  email: z.optional(email),
  formId: z.optional(text(200)),
});

const newsletter = z.object({
  email: z.optional(email),
  list: z.optional(text(200)),
  formId: z.optional(text(200)),
});

const content = z.object({
  contentId: id,
  contentType: z.optional(text(100)),
  name: z.optional(text(200)),
  /** A short label of the clicked element, never page content. */
  label: z.optional(text(100)),
  url,
});

const link = z.object({
  url: text(2048),
  label: z.optional(text(100)),
  linkId: optionalId,
  outbound: z.optional(z.boolean()),
});

// Profile traits (seed 003): email, attributes and opt-in subscriptions ("newsletter", "sms").
// Loose (see fields.ts `properties`): any other top-level trait is kept and the collector files
// it as an attribute. The collector keeps flat attribute values only (a union schema here would
// cost 400 B gzip; catchall instead of z.record saves another 500 B).
const traits = z.catchall(
  z.object({
    email: z.optional(email),
    attributes: z.optional(properties),
    subscriptions: z.optional(z.catchall(z.object({}), z.boolean())),
  }),
  z.unknown(),
);

const identified = z.object({
  customerId: id,
  traits: z.optional(traits),
});

const custom = z.object({
  name: z.string().check(z.regex(/^[A-Za-z0-9][\w.:-]{0,99}$/)),
  properties: z.optional(properties),
});

const push = z.object({
  notificationId: optionalId,
  topic: z.optional(text(200)),
  url,
});

const vitals = z.object({
  name: oneOf('LCP', 'INP', 'CLS', 'FCP', 'TTFB'),
  value: z.number().check(z.gte(0)),
  rating: oneOf('good', 'needs-improvement', 'poor'),
  delta: z.optional(z.number()),
  metricId: z.optional(text(100)),
  navigationType: z.optional(text(50)),
});

const diagnostic = z.object({
  code: label(100),
  message: z.optional(text(500)),
  count: z.optional(integer(0, 1e9)),
});

const entry = <B extends z.ZodMiniType>(body: B, billable: boolean, priority: Priority, origin: Origin) => ({
  body,
  billable,
  priority,
  origin,
});
const platform = entry(loose, true, 'normal', 'platform');

export const catalog = {
  // Captured automatically in the browser (and trackable by hand).
  'web-page-visited': entry(page, true, 'normal', 'auto'),
  'product-visited': entry(product, true, 'normal', 'auto'),
  search: entry(search, true, 'normal', 'auto'),
  'product-searched': entry(search, true, 'normal', 'auto'),
  'cart-product-added': entry(cartChange, true, 'essential', 'auto'),
  'cart-product-removed': entry(cartChange, true, 'essential', 'auto'),
  purchase: entry(purchase, true, 'essential', 'auto'),
  'web-form-submitted': entry(form, true, 'normal', 'auto'),
  'newsletter-subscribe': entry(newsletter, true, 'essential', 'auto'),
  login: entry(account, true, 'essential', 'auto'),
  register: entry(account, true, 'essential', 'auto'),
  'web-content-opened': entry(content, true, 'low', 'auto'),
  'web-content-clicked': entry(content, true, 'low', 'auto'),
  'web-link-clicked': entry(link, true, 'low', 'auto'),
  'entity-created': entry(empty, true, 'essential', 'auto'),
  'entity-identified': entry(identified, true, 'essential', 'auto'),
  // Emitted by a call from the store's code.
  'custom-event': entry(custom, true, 'normal', 'call'),
  'push-notification-subscribed': entry(push, true, 'normal', 'call'),
  'push-notification-unsubscribed': entry(push, true, 'normal', 'call'),
  'push-notification-opened': entry(push, true, 'low', 'call'),
  'push-notification-link-clicked': entry(push, true, 'low', 'call'),
  // Platform only: refused by the browser, listed for the ledger and the collector.
  'entity-entered-segment': platform,
  'entity-exited-segment': platform,
  'entity-merged': platform,
  'cart-abandoned': platform,
  'email-sent': platform,
  'email-sent-alert': platform,
  'email-opened': platform,
  'email-link-clicked': platform,
  'email-sent-with-error': platform,
  'email-bounce': platform,
  'email-unsubscribed': platform,
  'push-notification-migrate-subscription': platform,
  'push-notification-error': platform,
  'sms-sent': platform,
  'sms-sent-alert': platform,
  'sms-bounce': platform,
  'facebook-contact-sent': platform,
  'execute-webhook': platform,
  // Disused content events: still accepted and billed, with a deprecation warning.
  'banner-link-clicked': entry(loose, true, 'low', 'disused'),
  'web-modal-scheduled': entry(loose, true, 'low', 'disused'),
  'web-modal-opened': entry(loose, true, 'low', 'disused'),
  'web-modal-link-clicked': entry(loose, true, 'low', 'disused'),
  // Free: measurements and Shoptrail's own diagnostics.
  'web-vitals': entry(vitals, false, 'low', 'auto'),
  'shoptrail-diagnostic': entry(diagnostic, false, 'low', 'sdk'),
} satisfies Record<string, CatalogEntry>;

export type EventType = keyof typeof catalog;

/** Built once: every track() looks its type up (twice, with the queue's rank), and a Map has no prototype to guard against. */
const entries = new Map<string, CatalogEntry>(Object.entries(catalog));

/** The catalog entry of a type, or undefined for a type Shoptrail does not know. */
export const lookup = (type: string): CatalogEntry | undefined => entries.get(type);

/** The body type of an event type, for the typed `track` calls of the Node SDK (shoptrail/server). */
export type BodyOf<T extends EventType> = z.infer<(typeof catalog)[T]['body']>;

const ranks: Record<Priority, number> = { essential: 0, normal: 1, low: 2 };

/** Eviction and shedding rank of a type: 0 essential, 1 normal, 2 low (unknown types: low). */
export const rankOf = (type: string): number => ranks[lookup(type)?.priority ?? 'low'];

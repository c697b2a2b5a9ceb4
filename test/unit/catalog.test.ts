import { describe, expect, it } from 'vitest';
import { catalog, lookup, rankOf } from '../../src/catalog';
import * as z from '../../src/lib/zod';
import { integer } from '../../src/schemas/fields';
import { browserType, validateBody } from '../../src/validate';

const browserTypes = Object.entries(catalog).filter(([, entry]) => entry.origin !== 'platform');

/** One valid body per type the browser may emit; the table must cover every one of them. */
const valid: Record<string, unknown> = {
  'web-page-visited': {},
  'product-visited': { productId: 'sku-1', name: 'Linen shirt', price: 49.9, currency: 'EUR', availability: 'InStock' },
  search: { query: 'red shoes' },
  'product-searched': { query: 'red shoes', resultCount: 12 },
  'cart-product-added': { productId: 'p1', variantId: 'v1', quantity: 2, price: 10, currency: 'EUR' },
  'cart-product-removed': { productId: 'p1', quantity: 1 },
  purchase: { orderId: 'o-1', value: 99.5, currency: 'EUR', items: [{ productId: 'p1', quantity: 1, price: 99.5 }] },
  'web-form-submitted': { formId: 'contact', fields: ['name', 'message'] },
  'newsletter-subscribe': { email: 'ana@example.com' },
  login: { method: 'password' },
  register: { email: 'ana@example.com' },
  'web-content-opened': { contentId: 'hero-banner', contentType: 'banner' },
  'web-content-clicked': { contentId: 'hero-banner', label: 'Shop now' },
  'web-link-clicked': { url: 'https://example.org/', outbound: true },
  'entity-created': {},
  'entity-identified': { customerId: 'c-42', traits: { plan: 'gold' } },
  'custom-event': { name: 'gift-wrap-chosen', properties: { paper: 'red' } },
  'push-notification-subscribed': { topic: 'offers' },
  'push-notification-unsubscribed': {},
  'push-notification-opened': { notificationId: 'n1' },
  'push-notification-link-clicked': { notificationId: 'n1', url: 'https://shop.example/sale' },
  'banner-link-clicked': { bannerId: 'b1' },
  'web-modal-scheduled': {},
  'web-modal-opened': {},
  'web-modal-link-clicked': {},
  'web-vitals': { name: 'LCP', value: 1234.5, rating: 'good' },
  'shoptrail-diagnostic': { code: 'storage-memory' },
};

/** Bodies each type must refuse, with a fragment of the message expected. */
const invalid: Array<[string, unknown, string]> = [
  ['product-visited', {}, 'body.productId: expected string'],
  ['product-visited', { productId: 'p', price: -1 }, 'body.price: must be at least 0'],
  ['product-visited', { productId: 'p', currency: 'euro' }, 'body.currency: invalid format'],
  ['search', { query: '' }, 'body.query: must be at least 1 characters'],
  ['search', { query: 42 }, 'body.query: expected string'],
  ['cart-product-added', { productId: 'p1', quantity: 0 }, 'body.quantity: must be at least 1'],
  ['cart-product-added', { productId: 'p1', quantity: 1.5 }, 'body.quantity: must be a whole number'],
  ['cart-product-removed', { productId: 'p1' }, 'body.quantity: expected number'],
  ['purchase', { orderId: 'o', value: 1, currency: 'EUR' }, 'body.items: expected array'],
  ['purchase', { orderId: 'o', value: 1, currency: 'EUR', items: [{ price: 1 }] }, 'body.items[0].productId'],
  ['web-form-submitted', { fields: 'email' }, 'body.fields: expected array'],
  ['newsletter-subscribe', { email: 'not-an-email' }, 'body.email: invalid email'],
  ['login', { email: 7 }, 'body.email: expected string'],
  ['web-content-opened', {}, 'body.contentId: expected string'],
  ['web-link-clicked', {}, 'body.url: expected string'],
  ['entity-identified', {}, 'body.customerId: expected string'],
  ['custom-event', { name: 'has spaces' }, 'body.name: invalid format'],
  ['custom-event', { properties: {} }, 'body.name: expected string'],
  ['web-vitals', { name: 'FID', value: 1, rating: 'good' }, 'body.name: expected one of'],
  ['web-page-visited', 'a string', 'body: expected object'],
  ['shoptrail-diagnostic', {}, 'body.code: expected string'],
];

describe('catalog', () => {
  it('lists every event type of the platform document (seed 000)', () => {
    const seed000 = `entity-created entity-identified entity-entered-segment entity-exited-segment entity-merged login
      register search web-page-visited web-content-opened web-content-clicked web-link-clicked web-form-submitted
      newsletter-subscribe product-visited product-searched cart-product-added cart-product-removed cart-abandoned
      purchase email-sent email-sent-alert email-opened email-link-clicked email-sent-with-error email-bounce
      email-unsubscribed push-notification-subscribed push-notification-unsubscribed
      push-notification-migrate-subscription push-notification-opened push-notification-link-clicked
      push-notification-error sms-sent sms-sent-alert sms-bounce facebook-contact-sent custom-event execute-webhook
      banner-link-clicked web-modal-scheduled web-modal-opened web-modal-link-clicked`.split(/\s+/);
    for (const type of seed000) expect(lookup(type), type).toBeDefined();
    for (const type of seed000) expect(lookup(type)!.billable, type).toBe(true);
  });

  it('bills web vitals and diagnostics nothing', () => {
    expect(catalog['web-vitals'].billable).toBe(false);
    expect(catalog['shoptrail-diagnostic'].billable).toBe(false);
  });

  it('never sheds purchases, cart changes or identity', () => {
    for (const type of ['purchase', 'cart-product-added', 'cart-product-removed', 'entity-created', 'entity-identified']) {
      expect(lookup(type)!.priority, type).toBe('essential');
      expect(rankOf(type)).toBe(0);
    }
    expect(rankOf('web-content-clicked')).toBe(2);
  });

  it('has a valid example for every browser type', () => {
    expect(Object.keys(valid).sort()).toEqual(browserTypes.map(([type]) => type).sort());
  });

  it.each(browserTypes)('accepts a valid %s body', (type, entry) => {
    const result = validateBody(type, entry, valid[type]);
    expect(result).toMatchObject({ ok: true });
  });

  it.each(invalid)('refuses %s body %j', (type, body, message) => {
    const result = validateBody(type, lookup(type)!, body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid-body');
      expect(result.message).toContain(`${type}: `);
      expect(result.message).toContain(message);
    }
  });

  it('judges whole numbers as multipleOf(1) does, with the same issues in the same order', () => {
    const zods = z.number().check(z.multipleOf(1), z.gte(1), z.lte(1e5));
    const ours = integer(1, 1e5);
    for (const n of [1, 2, 1e5, 1e5 + 1, 1.5, 0.5, 0, -3, 3.0000000000000004, 99999.99999999999, 1e5 + 0.5, 2 ** 53 + 2, Number.NaN, '2']) {
      expect(ours.safeParse(n), String(n)).toEqual(zods.safeParse(n));
    }
  });

  it('strips fields a schema does not know', () => {
    const result = validateBody('search', catalog.search, { query: 'x', password: 'hunter2' });
    expect(result).toEqual({ ok: true, value: { query: 'x' } });
  });

  it('uses no literal, enum or strict object, whose messages the script tag leaves out (validate.ts)', () => {
    type Def = { type: string; shape?: Record<string, Schema>; element?: Schema; innerType?: Schema; catchall?: Schema };
    type Schema = { _zod: { def: Def } };
    const kinds = new Set<string>();
    const walk = (schema: Schema) => {
      const def = schema._zod.def;
      kinds.add(def.catchall?._zod.def.type === 'never' ? 'strict object' : def.type);
      for (const inner of [...Object.values(def.shape ?? {}), def.element, def.innerType, def.catchall]) if (inner) walk(inner);
    };
    for (const entry of Object.values(catalog)) walk(entry.body as unknown as Schema);
    expect(kinds).toContain('object');
    expect([...kinds].filter((kind) => ['literal', 'enum', 'strict object'].includes(kind))).toEqual([]);
  });

  it('refuses unknown and platform-only types with a clear message', () => {
    expect(browserType('page-view')).toMatchObject({ ok: false, code: 'unknown-type', message: 'unknown event type "page-view"' });
    expect(browserType(42)).toMatchObject({ ok: false, code: 'unknown-type' });
    expect(browserType('__proto__')).toMatchObject({ ok: false, code: 'unknown-type' });
    for (const type of ['email-sent', 'cart-abandoned', 'entity-merged', 'execute-webhook']) {
      expect(browserType(type)).toMatchObject({ ok: false, code: 'platform-only' });
    }
  });
});

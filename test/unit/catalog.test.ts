import { describe, expect, it } from 'vitest';
import { catalog, lookup, rankOf } from '../../src/catalog';
import * as z from '../../src/lib/zod';
import { integer } from '../../src/schemas/fields';
import { browserType, validateBody } from '../../src/validate';
import { invalid, valid } from './support/bodies';

const browserTypes = Object.entries(catalog).filter(([, entry]) => entry.origin !== 'platform');

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

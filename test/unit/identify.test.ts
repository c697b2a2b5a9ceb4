// identify(customerId, { email, attributes, subscriptions }): the traits schema of
// entity-identified (src/catalog.ts), the profile the collector builds from it.
import { describe, expect, it } from 'vitest';
import { lookup } from '../../src/catalog';
import { validateBody } from '../../src/validate';

const check = (body: unknown) => validateBody('entity-identified', lookup('entity-identified')!, body);

describe('entity-identified traits', () => {
  it('accepts email, attributes, opt-ins, and other traits as they are', () => {
    const body = {
      customerId: 'c-1',
      traits: { email: 'ana@example.com', attributes: { tier: 'gold', age: 34 }, subscriptions: { newsletter: true, sms: false }, plan: 'x' },
    };
    expect(check(body)).toEqual({ ok: true, value: body });
  });

  it.each([
    [{ email: 'not-an-email' }, 'body.traits.email: invalid email'],
    [{ subscriptions: { newsletter: 'yes' } }, 'body.traits.subscriptions.newsletter: expected boolean'],
    [{ attributes: 'gold' }, 'body.traits.attributes: expected object'],
    ['gold', 'body.traits: expected object'],
  ])('refuses traits %j', (traits, message) => {
    const result = check({ customerId: 'c-1', traits });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});

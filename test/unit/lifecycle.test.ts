import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { lookup } from '../../src/catalog';
import { defineLifecycleEvents, LIFECYCLE_ACTIONS } from '../../src/lifecycle';
import { validateBody } from '../../src/validate';

defineLifecycleEvents();

const custom = lookup('custom-event')!;
const check = (name: string, properties: unknown) => validateBody('custom-event', custom, { name, properties });

/** One valid set of properties per action of seed 002; the table must cover all of them. */
const valid: Record<string, Record<string, unknown>> = {
  created_user: { userId: 'u-1', actorEmail: 'ana@example.com' },
  created_declinaison: { declinaisonId: 'd-1', actorEmail: 'ana@example.com' },
  created_address: { addressId: 'a-1' },
  created_subscription: { subscriptionId: 's-1', declinaisonId: 'd-1', addressId: 'a-1', planId: 'monthly' },
  created_shippingbox: { subscriptionId: 's-1', shippingBoxId: 'b-1' },
  change_address_subscription: { subscriptionId: 's-1', addressId: 'a-2' },
  change_declinaison_subscription: { subscriptionId: 's-1', declinaisonId: 'd-2' },
  updated_subscription: { userId: 'u-1', subscriptionId: 's-1', actorEmail: 'ops@shop.example' },
  pause_subscription: { subscriptionId: 's-1' },
  enable_grace_subscription: { subscriptionId: 's-1', months: 2 },
  voided_unsub_postpone_subscription: { subscriptionId: 's-1', months: 1 },
  voided_unsub_voucher_subscription: { subscriptionId: 's-1', voucherCode: 'STAY20' },
  restart_subscription: { subscriptionId: 's-1' },
  cancel_subscription: { subscriptionId: 's-1', reason: 'too expensive' },
};

describe('subscription lifecycle events', () => {
  it('covers every action of the activity log, in its order', () => {
    expect(LIFECYCLE_ACTIONS).toEqual(Object.keys(valid));
  });

  it.each(Object.entries(valid))('accepts a valid %s', (name, properties) => {
    const result = check(name, properties);
    expect(result).toEqual({ ok: true, value: { name, properties } });
  });

  it.each([
    ['pause_subscription', {}, 'body.properties.subscriptionId: expected string'],
    ['enable_grace_subscription', { subscriptionId: 's-1', months: 4 }, 'body.properties.months'],
    ['enable_grace_subscription', { subscriptionId: 's-1' }, 'body.properties.months'],
    ['voided_unsub_voucher_subscription', { subscriptionId: 's-1' }, 'body.properties.voucherCode: expected string'],
    ['cancel_subscription', { subscriptionId: 's-1', actorEmail: 'nobody' }, 'body.properties.actorEmail: invalid email'],
    ['created_user', {}, 'body.properties.userId: expected string'],
    ['created_shippingbox', { subscriptionId: '', shippingBoxId: 'b' }, 'body.properties.subscriptionId: must be at least 1'],
  ])('refuses %s with %j', (name, properties, message) => {
    const result = check(name, properties);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('drops keys the schema does not know, so only ids and the actor travel', () => {
    const result = check('pause_subscription', { subscriptionId: 's-1', note: 'x' });
    expect(result.ok && result.value.properties).toEqual({ subscriptionId: 's-1' });
  });

  it('the npm entry registers them', async () => {
    vi.resetModules();
    const fresh = await import('../../src/schemas/custom');
    expect(fresh.customSchema('pause_subscription')).toBeUndefined();
    await import('../../src/index');
    expect(fresh.customSchema('pause_subscription')).toBeDefined();
  });

  // npm test builds dist/ first; run alone, this needs `npm run build`.
  it.skipIf(!existsSync('dist/shoptrail.js'))('the script-tag bundle leaves them to the collector', () => {
    const bundle = readFileSync('dist/shoptrail.js', 'utf8');
    expect(bundle).not.toContain('enable_grace_subscription');
    expect(readFileSync('dist/shoptrail.mjs', 'utf8')).toContain('enable_grace_subscription');
  });
});

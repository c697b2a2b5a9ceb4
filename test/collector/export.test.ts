import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { customerActions, exportResponse, interactionOf, toLine } from '../../src/collector/export';
import { collect, lifecycle, memoryDb, store } from './support/db';

const schema = JSON.parse(readFileSync('src/collector/schemas/wasabi-customer-action.schema.json', 'utf8'));
const ajv = new Ajv({ strict: true, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

const utm = { source: 'newsletter', medium: 'email', campaign: 'spring_sale', content: 'banner', term: 'coffee beans' };

/** A subscriber's story across two weeks, plus noise that must not be exported. */
const seed = async () => {
  const db = memoryDb();
  const who = { anonymousId: 'anon-ana', at: '' };
  await store(db, { type: 'web-page-visited', ...who, at: '2026-03-01T09:00:00Z', utm });
  await store(db, { type: 'register', body: { email: 'ana@example.com' }, ...who, at: '2026-03-01T09:01:00Z', utm });
  await store(db, { type: 'entity-identified', body: { customerId: 'c-ana', traits: { email: 'ana@example.com' } }, ...who, at: '2026-03-01T09:02:00Z' });
  const ana = { ...who, customerId: 'c-ana', utm };
  await store(db, lifecycle('created_user', { userId: 'c-ana' }, { ...ana, at: '2026-03-01T09:03:00Z' }));
  await store(db, lifecycle('created_subscription', { subscriptionId: 's-1' }, { ...ana, at: '2026-03-01T09:04:00Z' }));
  await store(db, lifecycle('enable_grace_subscription', { subscriptionId: 's-1', months: 2 }, { ...ana, at: '2026-03-05T10:00:00Z' }));
  await store(db, lifecycle('voided_unsub_voucher_subscription', { subscriptionId: 's-1', voucherCode: 'STAY20' }, { ...ana, at: '2026-03-06T10:00:00Z' }));
  await store(db, lifecycle('cancel_subscription', { subscriptionId: 's-1' }, { customerId: 'c-ana', anonymousId: 'anon-ana', at: '2026-03-10T10:00:00Z' }));
  await store(db, lifecycle('restart_subscription', { subscriptionId: 's-1' }, { customerId: 'c-ana', anonymousId: 'anon-ana', at: '2026-03-12T10:00:00Z' }));
  await store(
    db,
    lifecycle(
      'cancel_subscription',
      { subscriptionId: 's-1', actorEmail: 'ops@shop.example' },
      { customerId: 'op-1', anonymousId: 'anon-op', at: '2026-03-14T10:00:00Z' },
    ),
  );
  // An operator cancelling for Ana names her; that makes it her second cancellation of s-1.
  await store(
    db,
    lifecycle(
      'cancel_subscription',
      { userId: 'c-ana', subscriptionId: 's-1', actorEmail: 'ops@shop.example' },
      { customerId: 'op-1', anonymousId: 'anon-op', at: '2026-03-15T10:00:00Z' },
    ),
  );
  await store(db, { type: 'purchase', body: { orderId: 'o-1', value: 20, currency: 'EUR', items: [], coupon: 'WELCOME' }, ...ana, at: '2026-03-02T08:00:00Z' });
  await store(db, { type: 'purchase', body: { orderId: 'o-2', value: 20, currency: 'EUR', items: [] }, ...ana, at: '2026-03-03T08:00:00Z' });
  // A register naming its new account, from a browser never identified.
  await store(db, { type: 'register', body: { customerId: 'c-zed' }, anonymousId: 'anon-zed', at: '2026-03-20T08:00:00Z' });
  // Anonymous and never identified: no customerId to export.
  await store(db, { type: 'register', body: {}, anonymousId: 'anon-ghost', at: '2026-03-04T08:00:00Z' });
  // Another entity's subscriber.
  await store(db, lifecycle('cancel_subscription', { subscriptionId: 's-9' }, { entity: 'other', customerId: 'c-bob', at: '2026-03-04T08:00:00Z' }));
  return db;
};

const read = async (response: Response) => (await response.text()).split('\n').filter(Boolean);

describe('customer-action export (seed 001)', () => {
  it('maps our events to interaction types', async () => {
    const custom = (name: string, properties = {}) => ({ type: 'custom-event' as const, body: { name, properties } });
    expect(interactionOf({ type: 'register', body: {} })).toEqual({ type: 'SIGN_UP' });
    expect(interactionOf(custom('created_subscription', { subscriptionId: 's' }))).toMatchObject({ type: 'SIGN_UP', contract: 's' });
    expect(interactionOf(custom('restart_subscription', { subscriptionId: 's' }))?.type).toBe('SUBSCRIPTION_RESTARTED');
    expect(interactionOf(custom('cancel_subscription', { subscriptionId: 's' }))?.type).toBe('SUBSCRIPTION_CANCELLED');
    expect(interactionOf(custom('voided_unsub_voucher_subscription', { subscriptionId: 's', voucherCode: 'V' }))).toMatchObject({
      type: 'PROMOTION_APPLIED',
      promotion: 'V',
    });
    expect(interactionOf({ type: 'purchase', body: { coupon: 'X' } })).toMatchObject({ type: 'PROMOTION_APPLIED', promotion: 'X' });
    expect(interactionOf({ type: 'purchase', body: {} })).toBeUndefined();
    expect(interactionOf(custom('pause_subscription'))).toBeUndefined();
    expect(interactionOf(custom('gift-wrap-chosen'))).toBeUndefined();
  });

  it('streams NDJSON whose every line validates against the corrected schema', async () => {
    const response = exportResponse(await seed(), 'acme');
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = await read(response);
    expect(lines.length).toBe(10);
    for (const line of lines) {
      expect(line).toContain('"version":1.0,');
      const ok = validate(JSON.parse(line));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('says CREATED the first time an interaction is seen and UPDATED after, oldest first', async () => {
    const rows = (await collect(customerActions(await seed(), 'acme'))).map((a) => [
      a.body.updatedAt.slice(0, 10),
      a.body.customerId,
      a.eventAction,
      a.body.interaction.type,
      a.body.interaction.subscriptionContractId ?? '',
      a.body.createdAt.slice(0, 10),
    ]);
    expect(rows).toEqual([
      ['2026-03-01', 'c-ana', 'CREATED', 'SIGN_UP', '', '2026-03-01'], // register, merged through the anonymous id
      ['2026-03-01', 'c-ana', 'UPDATED', 'SIGN_UP', '', '2026-03-01'], // created_user: the same sign-up again
      ['2026-03-01', 'c-ana', 'CREATED', 'SIGN_UP', 's-1', '2026-03-01'],
      ['2026-03-02', 'c-ana', 'CREATED', 'PROMOTION_APPLIED', '', '2026-03-02'], // coupon WELCOME
      ['2026-03-06', 'c-ana', 'CREATED', 'PROMOTION_APPLIED', 's-1', '2026-03-06'], // voucher STAY20
      ['2026-03-10', 'c-ana', 'CREATED', 'SUBSCRIPTION_CANCELLED', 's-1', '2026-03-10'],
      ['2026-03-12', 'c-ana', 'CREATED', 'SUBSCRIPTION_RESTARTED', 's-1', '2026-03-12'],
      ['2026-03-14', 'op-1', 'CREATED', 'SUBSCRIPTION_CANCELLED', 's-1', '2026-03-14'], // no userId: the operator's own
      ['2026-03-15', 'c-ana', 'UPDATED', 'SUBSCRIPTION_CANCELLED', 's-1', '2026-03-10'],
      ['2026-03-20', 'c-zed', 'CREATED', 'SIGN_UP', '', '2026-03-20'],
    ]);
  });

  it('carries the UTM context and stable interaction ids', async () => {
    const [first, second] = await collect(customerActions(await seed(), 'acme'));
    expect(first!.body.utmParameters).toEqual({
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: 'spring_sale',
      utmContent: 'banner',
      utmTerms: 'coffee beans',
    });
    expect(second!.body.interactionId).toBe(first!.body.interactionId);
    expect(first!.body.interactionId).toMatch(/^[0-9a-f]{32}$/);
    expect((await collect(customerActions(await seed(), 'acme')))[0]!.body.interactionId).toBe(first!.body.interactionId);
  });

  it('reads page by page with the same result', async () => {
    const db = await seed();
    expect(await collect(customerActions(db, 'acme', { pageSize: 2 }))).toEqual(await collect(customerActions(db, 'acme')));
  });

  it('exports what changed since a time, still knowing what came before', async () => {
    const rows = (await collect(customerActions(await seed(), 'acme', { since: '2026-03-12T00:00:00.000Z' }))).map((a) => [
      a.body.updatedAt,
      a.eventAction,
      a.body.interaction.type,
    ]);
    expect(rows).toEqual([
      ['2026-03-12T10:00:00.000Z', 'CREATED', 'SUBSCRIPTION_RESTARTED'],
      ['2026-03-14T10:00:00.000Z', 'CREATED', 'SUBSCRIPTION_CANCELLED'],
      ['2026-03-15T10:00:00.000Z', 'UPDATED', 'SUBSCRIPTION_CANCELLED'],
      ['2026-03-20T08:00:00.000Z', 'CREATED', 'SIGN_UP'],
    ]);
  });

  it('exports one entity only', async () => {
    const other = await collect(customerActions(await seed(), 'other'));
    expect(other.map((a) => a.body.customerId)).toEqual(['c-bob']);
  });

  it('the schema refuses what Wasabi would refuse', async () => {
    const line = JSON.parse(toLine((await collect(customerActions(await seed(), 'acme')))[0]!));
    expect(validate({ ...line, eventAction: 'DELETED' })).toBe(false);
    expect(validate({ ...line, body: { ...line.body, createdAt: 'yesterday' } })).toBe(false);
    expect(validate({ ...line, body: { ...line.body, interaction: { type: 'REFUND' } } })).toBe(false);
  });
});

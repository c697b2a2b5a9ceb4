import { describe, expect, it } from 'vitest';
import { formatLog } from '../../src/collector/activityLog';
import { lifecycle, memoryDb, store } from './support/db';

const seed = async () => {
  const db = memoryDb();
  const ana = { anonymousId: 'anon-ana' };
  // Before logging in: the browser is merged into Ana's profile when she identifies.
  await store(db, lifecycle('created_user', { userId: 'c-ana', actorEmail: 'ana@example.com' }, { ...ana, at: '2026-03-01T09:00:00Z' }));
  await store(db, { type: 'entity-identified', body: { customerId: 'c-ana', traits: { email: 'ana@example.com' } }, ...ana, at: '2026-03-01T09:01:00Z' });
  const as = { ...ana, customerId: 'c-ana' };
  await store(db, lifecycle('created_declinaison', { declinaisonId: 'd-1', actorEmail: 'ana@example.com' }, { ...as, at: '2026-03-01T09:02:00Z' }));
  await store(db, lifecycle('created_address', { addressId: 'a-1', actorEmail: 'ana@example.com' }, { ...as, at: '2026-03-01T09:03:00Z' }));
  await store(
    db,
    lifecycle(
      'created_subscription',
      { subscriptionId: 's-1', declinaisonId: 'd-1', addressId: 'a-1', actorEmail: 'ana@example.com' },
      { ...as, at: '2026-03-01T09:04:00Z' },
    ),
  );
  // Automatic: the payment created the shipping box; the platform names the subscriber.
  await store(
    db,
    lifecycle('created_shippingbox', { userId: 'c-ana', subscriptionId: 's-1', shippingBoxId: 'b-1' }, { anonymousId: 'server', at: '2026-03-02T02:00:00Z' }),
  );
  // Stored out of order: the log sorts by when it happened.
  await store(db, lifecycle('cancel_subscription', { subscriptionId: 's-1', actorEmail: 'ana@example.com' }, { ...as, at: '2026-05-20T08:00:00Z' }));
  await store(
    db,
    lifecycle('enable_grace_subscription', { subscriptionId: 's-1', months: 2, actorEmail: 'ana@example.com' }, { ...as, at: '2026-03-05T10:00:00Z' }),
  );
  await store(
    db,
    lifecycle(
      'voided_unsub_voucher_subscription',
      { subscriptionId: 's-1', voucherCode: 'STAY20', actorEmail: 'ana@example.com' },
      { ...as, at: '2026-04-01T10:00:00Z' },
    ),
  );
  // An operator, logged in as themselves, changes Ana's address.
  await store(
    db,
    lifecycle(
      'change_address_subscription',
      { userId: 'c-ana', subscriptionId: 's-1', addressId: 'a-2', actorEmail: 'ops@shop.example' },
      { customerId: 'op-1', anonymousId: 'anon-op', at: '2026-04-02T10:00:00Z' },
    ),
  );
  // Not Ana's: another customer, a non-lifecycle custom event, another entity.
  await store(
    db,
    lifecycle(
      'pause_subscription',
      { subscriptionId: 's-2', actorEmail: 'bob@example.com' },
      { customerId: 'c-bob', anonymousId: 'anon-bob', at: '2026-03-06T10:00:00Z' },
    ),
  );
  await store(db, { type: 'custom-event', body: { name: 'gift-wrap-chosen', properties: {} }, ...as, at: '2026-03-07T10:00:00Z' });
  await store(db, lifecycle('pause_subscription', { subscriptionId: 's-1' }, { entity: 'other', customerId: 'c-ana', at: '2026-03-08T10:00:00Z' }));
  return db;
};

describe('activity log (seed 002)', () => {
  it("prints the customer's lifecycle in order, with ids and the email of whoever acted", async () => {
    expect(formatLog(await (await seed()).activityLog('acme', 'c-ana'))).toBe(
      [
        '2026/03/01 created_user c-ana ana@example.com',
        '2026/03/01 created_declinaison d-1 ana@example.com',
        '2026/03/01 created_address a-1 ana@example.com',
        '2026/03/01 created_subscription s-1 d-1 a-1 ana@example.com',
        '2026/03/02 created_shippingbox s-1 b-1',
        '2026/03/05 enable_grace_subscription s-1 months=2 ana@example.com',
        '2026/04/01 voided_unsub_voucher_subscription s-1 STAY20 ana@example.com',
        '2026/04/02 change_address_subscription s-1 a-2 ops@shop.example',
        '2026/05/20 cancel_subscription s-1 ana@example.com',
        '',
      ].join('\n'),
    );
  });

  it('keeps each customer and each entity to itself', async () => {
    const db = await seed();
    expect(formatLog(await db.activityLog('acme', 'c-bob'))).toBe('2026/03/06 pause_subscription s-2 bob@example.com\n');
    expect(formatLog(await db.activityLog('other', 'c-ana'))).toBe('2026/03/08 pause_subscription s-1\n');
    expect(await db.activityLog('acme', 'c-nobody')).toEqual([]);
  });

  it('a customer id is data, never SQL', async () => {
    expect(await (await seed()).activityLog('acme', "c-ana' OR '1'='1")).toEqual([]);
  });
});

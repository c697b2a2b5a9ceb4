import { describe, expect, it } from 'vitest';
import { applyIdentify } from '../../src/collector/profiles';
import { memoryDb, store } from './support/db';

const identify = (customerId: string, traits: Record<string, unknown>, at: string, anonymousId = 'anon-1', entity = 'acme') => ({
  type: 'entity-identified' as const,
  body: { customerId, traits },
  at,
  anonymousId,
  entity,
});

describe('profiles', () => {
  it('creates a profile from identify and merges later traits key by key', async () => {
    const db = memoryDb();
    await store(
      db,
      identify('c-1', { email: 'ana@example.com', attributes: { tier: 'silver', city: 'Lyon' }, subscriptions: { newsletter: true } }, '2026-03-01T10:00:00Z'),
    );
    await store(db, identify('c-1', { attributes: { tier: 'gold' }, subscriptions: { sms: false }, plan: 'monthly' }, '2026-03-02T10:00:00Z', 'anon-2'));
    expect(await db.profile('acme', 'c-1')).toEqual({
      entity: 'acme',
      customerId: 'c-1',
      email: 'ana@example.com',
      attributes: { tier: 'gold', city: 'Lyon', plan: 'monthly' },
      subscriptions: { newsletter: true, sms: false },
      anonymousIds: ['anon-1', 'anon-2'],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('keeps flat attribute values only', async () => {
    const db = memoryDb();
    await store(db, identify('c-1', { attributes: { tier: 'gold', nested: { a: 1 }, list: [1], n: 3, ok: true, none: null } }, '2026-03-01T10:00:00Z'));
    expect((await db.profile('acme', 'c-1'))!.attributes).toEqual({ tier: 'gold', n: 3, ok: true, none: null });
  });

  it("merges the anonymous browser: its earlier events become the customer's", async () => {
    const db = memoryDb();
    await store(db, { type: 'search', body: { query: 'coffee' }, anonymousId: 'anon-7', at: '2026-03-01T09:00:00Z' });
    await store(db, identify('c-7', {}, '2026-03-01T09:05:00Z', 'anon-7'));
    const rows = await db.report({
      sql: `SELECT COALESCE(e.customer_id, a.customer_id) AS contact FROM events e
        LEFT JOIN profile_aliases a ON a.entity = e.entity AND a.anonymous_id = e.anonymous_id WHERE e.type = 'search'`,
      params: [],
    });
    expect(rows).toEqual([['c-7']]);
  });

  it("turns newsletter sign-ups into opt-ins: the customer's own, and a browser's earlier anonymous ones when it identifies", async () => {
    const db = memoryDb();
    // An identified customer signs up to the default list and to a named one.
    await store(db, identify('c-1', {}, '2026-03-01T10:00:00Z', 'anon-1'));
    await store(db, { type: 'newsletter-subscribe', body: { email: 'ana@example.com' }, anonymousId: 'anon-1', customerId: 'c-1', at: '2026-03-01T10:05:00Z' });
    await store(db, { type: 'newsletter-subscribe', body: { list: 'offers' }, anonymousId: 'anon-1', at: '2026-03-01T10:06:00Z' }); // after reset(): by the browser
    expect(await db.profile('acme', 'c-1')).toMatchObject({
      email: 'ana@example.com',
      subscriptions: { newsletter: true, offers: true },
      updatedAt: '2026-03-01T10:06:00.000Z',
    });
    // A visitor signs up, then creates an account that opts out of SMS: both are kept.
    await store(db, { type: 'newsletter-subscribe', body: { email: 'bo@example.com' }, anonymousId: 'anon-2', at: '2026-03-02T09:00:00Z' });
    expect((await db.profiles('acme', 100)).map((p) => p.customerId)).toEqual(['c-1']); // nobody to opt in yet
    await store(db, identify('c-2', { subscriptions: { sms: false } }, '2026-03-02T09:10:00Z', 'anon-2'));
    expect(await db.profile('acme', 'c-2')).toMatchObject({ email: 'bo@example.com', subscriptions: { newsletter: true, sms: false } });
    // The identify's own traits are newer than an anonymous sign-up, and win.
    await store(db, { type: 'newsletter-subscribe', body: {}, anonymousId: 'anon-3', at: '2026-03-03T09:00:00Z' });
    await store(db, identify('c-3', { email: 'cy@example.com', subscriptions: { newsletter: false } }, '2026-03-03T09:10:00Z', 'anon-3'));
    expect(await db.profile('acme', 'c-3')).toMatchObject({ email: 'cy@example.com', subscriptions: { newsletter: false } });
    // Another entity's browser of the same id opts nobody in here.
    await store(db, { type: 'newsletter-subscribe', body: { list: 'b2b' }, anonymousId: 'anon-1', entity: 'other', at: '2026-03-04T09:00:00Z' });
    expect((await db.profile('acme', 'c-1'))!.subscriptions).toEqual({ newsletter: true, offers: true });
  });

  it('ignores other events and keeps entities apart', async () => {
    const db = memoryDb();
    await store(db, { type: 'search', body: { query: 'x' }, at: '2026-03-01T09:00:00Z' });
    await store(db, identify('c-1', { email: 'ana@acme.example' }, '2026-03-01T10:00:00Z'));
    await store(db, identify('c-1', { email: 'ana@other.example' }, '2026-03-01T10:00:00Z', 'anon-1', 'other'));
    expect((await db.profiles('acme', 100)).map((p) => [p.customerId, p.email])).toEqual([['c-1', 'ana@acme.example']]);
    expect((await db.profiles('other', 100)).map((p) => [p.customerId, p.email])).toEqual([['c-1', 'ana@other.example']]);
    expect(await db.profile('third', 'c-1')).toBeUndefined();
    expect(await applyIdentify(undefined as never, '', { type: 'search', body: {} } as never)).toBeUndefined();
  });
});

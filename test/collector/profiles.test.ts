import { describe, expect, it } from 'vitest';
import { applyIdentify, getProfile, listProfiles } from '../../demo/collector/profiles';
import { memoryDb, store } from './support/db';

const identify = (customerId: string, traits: Record<string, unknown>, at: string, anonymousId = 'anon-1', entity = 'acme') => ({
  type: 'entity-identified' as const,
  body: { customerId, traits },
  at,
  anonymousId,
  entity,
});

describe('profiles', () => {
  it('creates a profile from identify and merges later traits key by key', () => {
    const db = memoryDb();
    store(db, identify('c-1', { email: 'ana@example.com', attributes: { tier: 'silver', city: 'Lyon' }, subscriptions: { newsletter: true } }, '2026-03-01T10:00:00Z'));
    store(db, identify('c-1', { attributes: { tier: 'gold' }, subscriptions: { sms: false }, plan: 'monthly' }, '2026-03-02T10:00:00Z', 'anon-2'));
    expect(getProfile(db, 'acme', 'c-1')).toEqual({
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

  it('keeps flat attribute values only', () => {
    const db = memoryDb();
    store(db, identify('c-1', { attributes: { tier: 'gold', nested: { a: 1 }, list: [1], n: 3, ok: true, none: null } }, '2026-03-01T10:00:00Z'));
    expect(getProfile(db, 'acme', 'c-1')!.attributes).toEqual({ tier: 'gold', n: 3, ok: true, none: null });
  });

  it('merges the anonymous browser: its earlier events become the customer\'s', () => {
    const db = memoryDb();
    store(db, { type: 'search', body: { query: 'coffee' }, anonymousId: 'anon-7', at: '2026-03-01T09:00:00Z' });
    store(db, identify('c-7', {}, '2026-03-01T09:05:00Z', 'anon-7'));
    const row = db
      .prepare(`SELECT COALESCE(e.customer_id, a.customer_id) AS contact FROM events e
        LEFT JOIN profile_aliases a ON a.entity = e.entity AND a.anonymous_id = e.anonymous_id WHERE e.type = 'search'`)
      .get() as { contact: string };
    expect(row.contact).toBe('c-7');
  });

  it('ignores other events and keeps entities apart', () => {
    const db = memoryDb();
    store(db, { type: 'search', body: { query: 'x' }, at: '2026-03-01T09:00:00Z' });
    store(db, identify('c-1', { email: 'ana@acme.example' }, '2026-03-01T10:00:00Z'));
    store(db, identify('c-1', { email: 'ana@other.example' }, '2026-03-01T10:00:00Z', 'anon-1', 'other'));
    expect(listProfiles(db, 'acme').map((p) => [p.customerId, p.email])).toEqual([['c-1', 'ana@acme.example']]);
    expect(listProfiles(db, 'other').map((p) => [p.customerId, p.email])).toEqual([['c-1', 'ana@other.example']]);
    expect(getProfile(db, 'third', 'c-1')).toBeUndefined();
    expect(applyIdentify(db, { type: 'search', body: {} } as never)).toBeUndefined();
  });
});

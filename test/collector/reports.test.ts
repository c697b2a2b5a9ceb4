import { describe, expect, it } from 'vitest';
import { planReport, runReport } from '../../src/collector/reports';
import { dialects } from '../../src/collector/storage/dialect';
import { lifecycle, memoryDb, store } from './support/db';
import { ENGINE } from './support/engine';

/** A JSON path as the engine's queries take it. */
const path = (dotted: string) => (ENGINE === 'sqlite' ? `$.${dotted}` : dotted.split('.'));

const spring = { source: 'newsletter', medium: 'email', campaign: 'spring' };
const summer = { source: 'google', medium: 'cpc', campaign: 'summer' };

const purchase = (value: number, at: string, who: { customerId?: string; anonymousId?: string; entity?: string }, utm?: object) => ({
  type: 'purchase' as const,
  body: { orderId: `o-${at}`, value, currency: 'EUR', items: [] },
  at,
  ...who,
  ...(utm ? { utm } : {}),
});

/** Three identified contacts (two gold, one silver), and events that must not count. */
const seed = async () => {
  const db = memoryDb();
  const identify = (customerId: string, tier: string, anonymousId: string, entity = 'acme') =>
    store(db, { type: 'entity-identified', body: { customerId, traits: { attributes: { tier } } }, anonymousId, entity, at: '2026-03-01T08:00:00Z' });
  await identify('c-ana', 'gold', 'anon-ana');
  await identify('c-bob', 'silver', 'anon-bob');
  await identify('c-cy', 'gold', 'anon-cy');
  await identify('c-ana', 'bronze', 'anon-x', 'other'); // same id, other entity
  const ana = { customerId: 'c-ana', anonymousId: 'anon-ana' };
  const bob = { customerId: 'c-bob', anonymousId: 'anon-bob' };
  await store(db, purchase(40, '2026-03-02T10:00:00Z', ana, spring));
  await store(db, purchase(60, '2026-03-03T10:00:00Z', ana, spring));
  await store(db, purchase(25.5, '2026-03-04T10:00:00Z', ana, summer));
  await store(db, purchase(30, '2026-03-05T10:00:00Z', bob, spring));
  await store(db, purchase(10, '2026-03-06T10:00:00Z', bob)); // no campaign
  // Bought anonymously before her identify: merged through the browser, so it is Cy's.
  await store(db, purchase(50, '2026-02-28T10:00:00Z', { anonymousId: 'anon-cy' }, summer));
  // Never identified: no contact, no row in a report by contact attribute.
  await store(db, purchase(1000, '2026-03-02T11:00:00Z', { anonymousId: 'anon-ghost' }, spring));
  // Customer id without a profile: not an identified contact either.
  await store(db, purchase(500, '2026-03-02T12:00:00Z', { customerId: 'c-noprofile', anonymousId: 'anon-np' }, spring));
  // Another entity; and another event type.
  await store(db, purchase(700, '2026-03-02T10:00:00Z', { customerId: 'c-ana', anonymousId: 'anon-x', entity: 'other' }, spring));
  await store(db, { type: 'search', body: { query: 'coffee' }, ...ana, at: '2026-03-02T10:00:00Z', utm: spring });
  return db;
};

const run = async (spec: unknown, entity = 'acme') => {
  const result = await runReport(await seed(), entity, spec);
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

describe('custom reports', () => {
  it('purchases by UTM campaign and contact tier: count and sum of value, as by hand', async () => {
    const report = await run({ source: { type: 'purchase' }, dimensions: ['utm.campaign', 'contact.tier'], measures: ['count', 'sum:value', 'distinctContacts'] });
    expect(report.columns.map((c) => c.name)).toEqual(['utm.campaign', 'contact.tier', 'count', 'sum:value', 'distinctContacts']);
    expect(report.rows).toEqual([
      [null, 'silver', 1, 10, 1], // bob, no campaign
      ['spring', 'gold', 2, 100, 1], // ana 40 + 60
      ['spring', 'silver', 1, 30, 1], // bob
      ['summer', 'gold', 2, 75.5, 2], // ana 25.5 + cy 50 (anonymous, merged)
    ]);
  });

  it('without contact dimensions counts every purchase of the entity', async () => {
    const report = await run({ source: { type: 'purchase' }, dimensions: ['utm.campaign'], measures: ['count', 'sum:body.value', 'avg:value'] });
    expect(report.rows).toEqual([
      [null, 1, 10, 10],
      ['spring', 5, 1630, 326], // 40 + 60 + 30 + 1000 + 500
      ['summer', 2, 75.5, 37.75],
    ]);
    expect((await run({ source: { type: 'purchase' }, measures: ['count', 'sum:value'] }, 'other')).rows).toEqual([[1, 700]]);
  });

  it('groups by day, week (from Monday) and month, within a date range', async () => {
    const byWeek = await run({ source: { type: 'purchase' }, dimensions: ['week'], measures: ['count'] });
    // 2026-02-28 is a Saturday (week of Monday 02-23); 03-02 is a Monday.
    expect(byWeek.rows).toEqual([
      ['2026-02-23', 1],
      ['2026-03-02', 7],
    ]);
    expect((await run({ source: { type: 'purchase' }, dimensions: ['month'], measures: ['count'] })).rows).toEqual([
      ['2026-02', 1],
      ['2026-03', 7],
    ]);
    const days = await run({ source: { type: 'purchase' }, dimensions: ['day'], measures: ['sum:value'], from: '2026-03-04', to: '2026-03-06' });
    expect(days.rows).toEqual([
      ['2026-03-04', 25.5],
      ['2026-03-05', 30],
    ]);
  });

  it('reports on a custom event name with its properties', async () => {
    const db = await seed();
    const at = (d: string) => ({ customerId: 'c-ana', anonymousId: 'anon-ana', at: d });
    await store(db, lifecycle('enable_grace_subscription', { subscriptionId: 's-1', months: 2 }, at('2026-03-05T00:00:00Z')));
    await store(db, lifecycle('enable_grace_subscription', { subscriptionId: 's-2', months: 3 }, at('2026-03-06T00:00:00Z')));
    await store(
      db,
      lifecycle('enable_grace_subscription', { subscriptionId: 's-3', months: 2 }, { customerId: 'c-bob', anonymousId: 'anon-bob', at: '2026-03-07T00:00:00Z' }),
    );
    await store(db, lifecycle('pause_subscription', { subscriptionId: 's-1' }, at('2026-03-08T00:00:00Z')));
    const result = await runReport(db, 'acme', {
      source: { customEvent: 'enable_grace_subscription' },
      dimensions: ['properties.months', 'contact.tier'],
      measures: ['count', 'distinctContacts', 'avg:months'],
    });
    expect(result.ok && result.value.rows).toEqual([
      [2, 'gold', 1, 1, 2],
      [2, 'silver', 1, 1, 2],
      [3, 'gold', 1, 1, 3],
    ]);
  });

  it.each([
    [{ source: { type: 'nope' }, measures: ['count'] }, 'source'],
    [{ source: { customEvent: 'x y' }, measures: ['count'] }, 'source.customEvent'],
    [{ source: { type: 'purchase' }, measures: [] }, 'measures'],
    [{ source: { type: 'purchase' }, measures: ['count(*) FROM events; --'] }, 'unknown measure'],
    [{ source: { type: 'purchase' }, measures: ['sum:value)--'] }, 'unknown measure'],
    [{ source: { type: 'purchase' }, dimensions: ["body.value') --"], measures: ['count'] }, 'unknown dimension'],
    [{ source: { type: 'purchase' }, dimensions: ['contact.tier"'], measures: ['count'] }, 'unknown dimension'],
    [{ source: { type: 'purchase' }, dimensions: ['utm.gclid'], measures: ['count'] }, 'unknown dimension'],
    [{ source: { type: 'purchase' }, dimensions: ['value'], measures: ['count'] }, 'unknown dimension'],
    [{ source: { type: 'purchase' }, dimensions: ['day', 'week', 'month', 'utm.source'], measures: ['count'] }, 'at most 3'],
    [{ source: { type: 'purchase' }, measures: ['count'], from: "2026'; DROP TABLE events" }, 'from'],
  ])('refuses %j', (spec, error) => {
    const result = planReport(dialects[ENGINE], 'acme', spec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(error);
  });

  it('puts no caller string into the SQL text, only into parameters', async () => {
    const plan = planReport(dialects[ENGINE], 'acme', {
      source: { customEvent: 'gift_wrap' },
      dimensions: ['properties.paper_colour', 'contact.favourite_shop', 'utm.campaign'],
      measures: ['sum:properties.price_paid', 'avg:weight_kg'],
    });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    for (const name of ['gift_wrap', 'paper_colour', 'favourite_shop', 'price_paid', 'weight_kg', 'campaign']) expect(plan.value.sql).not.toContain(name);
    expect(plan.value.params).toEqual(
      expect.arrayContaining([
        path('body.properties.paper_colour'),
        path('favourite_shop'),
        path('context.utm.campaign'),
        path('body.properties.price_paid'),
        'gift_wrap',
      ]),
    );
  });
});

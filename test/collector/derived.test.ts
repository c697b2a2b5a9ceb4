// Events the collector derives (issue 16): cart-abandoned, entity-merged, segment changes,
// stored and billed like any other; time is the collector's injected clock.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import type { Envelope } from '../../src/schema';
import { batch, event, post, read } from './support/app';
import { platformCollector, postServer, serverEvent } from './support/platform';

let collector: Collector;
afterEach(() => collector?.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-02T10:00:00.000Z');

/** A collector whose clock the test moves. */
const atClock = (over: Record<string, unknown> = {}) => {
  const clock = { now: T0 };
  collector = platformCollector(over, { now: () => clock.now });
  return clock;
};

const at = (ms: number) => new Date(ms).toISOString();
const added = (ms: number, over: Partial<Envelope> = {}, body: Record<string, unknown> = {}) =>
  event('cart-product-added', { productId: 'p-1', name: 'Coffee', quantity: 2, price: 12.5, currency: 'EUR', ...body }, { createdAt: at(ms), ...over });
const events = async (type?: string): Promise<Envelope[]> =>
  ((await (await read(collector, `/v1/events${type ? `?type=${type}` : ''}`)).json()) as { events: Envelope[] }).events;
const used = async () => ((await (await read(collector, '/v1/usage')).json()) as { usage: { used: number } }).usage.used;
const identify = (customerId: string, anonymousId: string, ms: number, traits: Record<string, unknown> = {}) =>
  event('entity-identified', { customerId, traits }, { anonymousId, createdAt: at(ms) });

describe('cart-abandoned', () => {
  it('comes once, with the items and value, N hours after the last addition without a purchase', async () => {
    const clock = atClock({ cartAbandonedAfterHours: 2 });
    await post(
      collector,
      batch([
        added(T0),
        added(T0 + HOUR, {}, { productId: 'p-2', name: 'Mug', quantity: 1, price: 8 }),
        event('cart-product-removed', { productId: 'p-1', quantity: 1 }, { createdAt: at(T0 + HOUR) }),
      ]),
    );
    clock.now = T0 + 2 * HOUR + 59_000; // 2 h after the first addition, not after the last
    expect((await collector.jobs.run()).abandoned).toBe(0);
    clock.now = T0 + 3 * HOUR;
    expect((await collector.jobs.run()).abandoned).toBe(1);
    expect((await collector.jobs.run()).abandoned).toBe(0);
    const [abandoned, ...more] = await events('cart-abandoned');
    expect(more).toEqual([]);
    expect(abandoned).toMatchObject({
      type: 'cart-abandoned',
      anonymousId: 'anon-1',
      createdAt: at(T0 + 3 * HOUR),
      context: { library: { name: 'shoptrail-collector' } },
      body: {
        items: [
          { productId: 'p-1', name: 'Coffee', quantity: 1, price: 12.5, currency: 'EUR' },
          { productId: 'p-2', name: 'Mug', quantity: 1, price: 8 },
        ],
        value: 20.5,
        currency: 'EUR',
        startedAt: at(T0),
        lastAddedAt: at(T0 + HOUR),
      },
    });
    expect(await used()).toBe(4); // three cart events and the abandonment
  });

  it('does not come after a purchase, nor for an emptied cart, and a new addition opens a new episode', async () => {
    const clock = atClock();
    const purchase = event('purchase', { orderId: 'o-1', value: 25, currency: 'EUR', items: [] }, { createdAt: at(T0 + HOUR) });
    await post(collector, batch([added(T0), purchase]));
    await post(
      collector,
      batch([added(T0, { anonymousId: 'anon-2' }), event('cart-product-removed', { productId: 'p-1', quantity: 2 }, { anonymousId: 'anon-2', createdAt: at(T0) })]),
    );
    clock.now = T0 + 5 * HOUR;
    expect((await collector.jobs.run()).abandoned).toBe(0);
    await post(collector, batch([added(T0 + 6 * HOUR)]));
    clock.now = T0 + 10 * HOUR;
    expect((await collector.jobs.run()).abandoned).toBe(1);
    expect((await events('cart-abandoned'))[0]!.body).toMatchObject({ startedAt: at(T0 + 6 * HOUR), value: 25 });
  });

  it('closes a browser cart on a purchase the back end reports for the customer it identified as', async () => {
    const clock = atClock();
    await post(collector, batch([identify('c-1', 'anon-1', T0 - HOUR), added(T0)]));
    await postServer(collector, [
      serverEvent('purchase', { orderId: 'o-9', value: 25, currency: 'EUR', items: [] }, { customerId: 'c-1', createdAt: at(T0 + HOUR) }),
    ]);
    clock.now = T0 + 5 * HOUR;
    expect((await collector.jobs.run()).abandoned).toBe(0);
  });
});

describe('entity-merged', () => {
  it('comes when a browser identifies as an existing customer, and when two customers share an email; once per pair', async () => {
    atClock();
    await post(collector, batch([identify('c-1', 'anon-1', T0, { email: 'ana@example.com' })]));
    expect(await events('entity-merged')).toEqual([]);
    await post(collector, batch([identify('c-1', 'anon-2', T0 + HOUR)]));
    await post(collector, batch([identify('c-1', 'anon-2', T0 + 2 * HOUR)])); // the same browser again
    await post(collector, batch([identify('c-2', 'anon-3', T0 + 3 * HOUR, { email: 'ana@example.com' })]));
    await post(collector, batch([identify('c-2', 'anon-3', T0 + 4 * HOUR, { email: 'ana@example.com' })]));
    const merged = await events('entity-merged');
    expect(merged.map((e) => [e.customerId, e.body])).toEqual([
      ['c-1', { customerId: 'c-1', mergedAnonymousId: 'anon-2', reason: 'identified' }],
      ['c-1', { customerId: 'c-1', mergedCustomerId: 'c-2', email: 'ana@example.com', reason: 'same-email' }],
    ]);
    expect(await used()).toBe(5 + 2);
  });
});

describe('segments', () => {
  const gold = {
    segments: [
      { name: 'Gold', when: [{ sum: 'value', of: 'purchase', days: 90, gt: 500 }] },
      {
        name: 'Newsletter fans',
        when: [
          { attribute: 'plan', eq: 'monthly' },
          { count: 'purchase', gte: 1 },
        ],
      },
    ],
  };
  const purchase = (value: number, ms: number) =>
    serverEvent('purchase', { orderId: `o-${ms}`, value, currency: 'EUR', items: [] }, { customerId: 'c-1', createdAt: at(ms) });
  const segmentEvents = async () =>
    (await events()).filter((e) => e.type.endsWith('-segment')).map((e) => [e.type, (e.body as { segment: string }).segment, e.createdAt]);

  it('moves a profile in and out (purchases over 500 in 90 days), with the two events, and lists its segments', async () => {
    const clock = atClock(gold);
    await post(collector, batch([identify('c-1', 'anon-1', T0)]));
    await postServer(collector, [purchase(300, T0)]);
    expect(await segmentEvents()).toEqual([]);
    clock.now = T0 + DAY;
    await postServer(collector, [purchase(250, T0 + DAY)]);
    expect(await segmentEvents()).toEqual([['entity-entered-segment', 'Gold', at(T0 + DAY)]]);
    let profile = ((await (await read(collector, '/v1/customers/c-1')).json()) as { profile: { segments?: string[] } }).profile;
    expect(profile.segments).toEqual(['Gold']);

    // The report groups purchases by the buyers' segments.
    const report = await collector.app.request('/v1/reports', {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_shop' },
      body: JSON.stringify({ source: { type: 'purchase' }, dimensions: ['segment'], measures: ['count', 'sum:value'] }),
    });
    expect(((await report.json()) as { report: { rows: unknown[] } }).report.rows).toEqual([['Gold', 2, 550]]);

    expect(await used()).toBe(1 + 2 + 1); // identify, purchases, entering

    // 90 days after the first purchase it no longer counts: the jobs see the window pass.
    clock.now = T0 + 91 * DAY;
    expect((await collector.jobs.run()).segmentEvents).toBe(1);
    expect((await collector.jobs.run()).segmentEvents).toBe(0);
    expect(await segmentEvents()).toEqual([
      ['entity-entered-segment', 'Gold', at(T0 + DAY)],
      ['entity-exited-segment', 'Gold', at(T0 + 91 * DAY)],
    ]);
    profile = ((await (await read(collector, '/v1/customers/c-1')).json()) as { profile: { segments?: string[] } }).profile;
    expect(profile.segments).toBeUndefined();
    expect(await used()).toBe(1); // a later billing cycle: the exit only
  });

  it('follows attributes: identify traits move a customer in and out', async () => {
    const clock = atClock(gold);
    await postServer(collector, [
      { ...identify('c-1', 'anon-1', T0, { plan: 'monthly' }), context: { library: { name: 'shoptrail-node', version: '1' } } },
      purchase(10, T0),
    ]);
    expect(await segmentEvents()).toEqual([['entity-entered-segment', 'Newsletter fans', at(T0)]]);
    clock.now = T0 + HOUR;
    await post(collector, batch([identify('c-1', 'anon-1', T0 + HOUR, { plan: 'yearly' })]));
    expect((await segmentEvents()).at(-1)).toEqual(['entity-exited-segment', 'Newsletter fans', at(T0 + HOUR)]);
  });
});

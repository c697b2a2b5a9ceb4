// Entities end to end through the collector: a write key writes its own entity only, and an
// admin key reads its own entity only — events, profiles, log, export and reports — even when
// both entities hold the same customer ids, anonymous ids and campaigns.
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, batch, event, OTHER_ADMIN_KEY, OTHER_KEY, post, read, testCollector, WRITE_KEY } from './support/app';

const custom = (name: string, properties: Record<string, unknown>) => ({ name, properties });

/** The same story in both entities, told with each entity's write key. */
const fill = async () => {
  const collector = testCollector({ now: () => Date.UTC(2026, 2, 3) }); // the story's days are within its window
  for (const [entity, key] of [
    ['shop', WRITE_KEY],
    ['other', OTHER_KEY],
  ] as const) {
    const who = {
      entity,
      anonymousId: 'anon-1',
      customerId: 'c-1',
      context: {
        page: { url: 'https://shop.test/', path: '/', title: 'Shop', referrer: '' },
        utm: { campaign: 'spring' },
        library: { name: 'shoptrail' as const, version: 'test' },
      },
    };
    const email = `ana@${entity}.example`;
    const events = [
      event(
        'entity-identified',
        { customerId: 'c-1', traits: { email, attributes: { tier: entity }, subscriptions: { newsletter: true } } },
        { entity, anonymousId: 'anon-1', createdAt: '2026-03-01T09:00:00.000Z' },
      ),
      event('custom-event', custom('created_subscription', { subscriptionId: `s-${entity}`, actorEmail: email }), { ...who, createdAt: '2026-03-01T10:00:00.000Z' }),
      event('custom-event', custom('cancel_subscription', { subscriptionId: `s-${entity}`, actorEmail: email }), { ...who, createdAt: '2026-03-02T10:00:00.000Z' }),
      event(
        'purchase',
        { orderId: `o-${entity}`, value: entity === 'shop' ? 10 : 99, currency: 'EUR', items: [] },
        { ...who, createdAt: '2026-03-01T11:00:00.000Z' },
      ),
    ];
    const res = await post(collector, batch(events, key), { origin: 'http://shop.test' });
    expect((await res.json()).accepted).toBe(4);
  }
  return collector;
};

describe('entities', () => {
  it('a write key writes its own entity only', async () => {
    const collector = await fill();
    const res = await post(collector, batch([event('web-page-visited', { referrer: '' }, { entity: 'other' })], WRITE_KEY));
    const reply = await res.json();
    expect(reply.accepted).toBe(0);
    expect(reply.rejected[0].error).toMatch(/^wrong-entity/);
  });

  it('every read of one admin key holds that entity only', async () => {
    const collector = await fill();
    for (const [key, mine, theirs] of [
      [ADMIN_KEY, 'shop', 'other'],
      [OTHER_ADMIN_KEY, 'other', 'shop'],
    ] as const) {
      const answers: string[] = [];
      const get = async (path: string) => {
        const res = await read(collector, path, key);
        expect(res.status, path).toBe(200);
        const text = await res.text();
        answers.push(text);
        return text;
      };
      const events = JSON.parse(await get('/v1/events')).events as Array<{ entity: string }>;
      expect(events.map((e) => e.entity)).toEqual([mine, mine, mine, mine]);
      expect(JSON.parse(await get('/v1/profiles')).profiles).toMatchObject([{ entity: mine, email: `ana@${mine}.example`, subscriptions: { newsletter: true } }]);
      expect(JSON.parse(await get('/v1/customers/c-1')).profile.attributes).toEqual({ tier: mine });
      expect(await get('/v1/customers/c-1/log')).toBe(
        `2026/03/01 created_subscription s-${mine} ana@${mine}.example\n2026/03/02 cancel_subscription s-${mine} ana@${mine}.example\n`,
      );
      expect((await get('/v1/export/customer-actions')).trim().split('\n')).toHaveLength(2);
      const res = await collector.app.request('/v1/reports', {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}` },
        body: JSON.stringify({ source: { type: 'purchase' }, dimensions: ['utm.campaign', 'contact.tier'], measures: ['count', 'sum:value'] }),
      });
      const report = await res.text();
      answers.push(report);
      expect(JSON.parse(report).report.rows).toEqual([['spring', mine, 1, mine === 'shop' ? 10 : 99]]);
      // Nothing the other entity wrote appears in any answer.
      for (const text of answers) {
        expect(text).not.toContain(`${theirs}.example`);
        expect(text).not.toContain(`s-${theirs}`);
        expect(text).not.toContain(`o-${theirs}`);
      }
    }
  });

  it('the admin routes need an admin key, and a write key is not one', async () => {
    const collector = await fill();
    for (const path of ['/v1/profiles', '/v1/customers/c-1/log', '/v1/export/customer-actions']) {
      expect((await read(collector, path, WRITE_KEY)).status).toBe(401);
    }
  });

  it('the collector validates lifecycle properties the script tag leaves unchecked', async () => {
    const collector = testCollector();
    const res = await post(collector, batch([event('custom-event', custom('enable_grace_subscription', { subscriptionId: 's-1', months: 6 }))]));
    const reply = await res.json();
    expect(reply.accepted).toBe(0);
    expect(reply.rejected[0].error).toContain('body.properties.months');
  });
});

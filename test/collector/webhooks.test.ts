// Webhooks (issue 16): a durable outbox, signed deliveries with one delivery id per (rule, event),
// retried with backoff for 24 hours then dead letters; each success billed as execute-webhook.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { verifyWebhook } from '../../src/collector/webhooks/sign';
import { retryDelay } from '../../src/collector/webhooks/backoff';
import type { Envelope } from '../../src/schema';
import { ADMIN_KEY, batch, event, post, read } from './support/app';
import { HOOK_SECRET, platformCollector, postServer, serverEvent } from './support/platform';
import { type Receiver, startReceiver } from './support/receiver';

let collector: Collector;
let receiver: Receiver;
afterEach(async () => {
  await collector?.close();
  await receiver?.close();
});

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T10:00:00.000Z');

const purchase = (orderId: string, currency = 'EUR') => event('purchase', { orderId, value: 40, currency, items: [] }, { createdAt: new Date(T0).toISOString() });
const used = async () => ((await (await read(collector, '/v1/usage')).json()) as { usage: { used: number } }).usage.used;

const setup = async (answer: (call: number) => number) => {
  receiver = await startReceiver(answer);
  const clock = { now: T0 };
  const hooks = [{ id: 'orders', on: 'purchase', where: { currency: 'EUR' }, url: receiver.url, secret: HOOK_SECRET }];
  collector = platformCollector({ webhooks: hooks }, { now: () => clock.now });
  return clock;
};

/** Run the jobs, moving the clock past every backoff, until nothing is due (or `max` runs). */
const drain = async (clock: { now: number }, step = HOUR, max = 40) => {
  for (let i = 0; i < max; i++) {
    await collector.jobs.run();
    clock.now += step;
  }
};

describe('webhooks', () => {
  it('deliver each matching event exactly once by delivery id to a receiver that fails its first three calls; usage counts the dispatches', async () => {
    const clock = await setup((call) => (call < 3 ? 500 : 200));
    await post(collector, batch([purchase('o-1'), purchase('o-2'), purchase('o-3', 'USD')]));
    await drain(clock, HOUR, 6);

    const ok = receiver.calls.filter((c) => c.status === 200);
    expect(receiver.calls.length).toBe(5); // 3 failures + 2 deliveries; the USD order matched no rule
    expect(new Set(ok.map((c) => c.delivery)).size).toBe(2);
    const orders = ok.map((c) => ((JSON.parse(c.body) as Envelope).body as { orderId: string }).orderId).sort();
    expect(orders).toEqual(['o-1', 'o-2']);
    // Every retry of an event carried its delivery id: two ids in all.
    expect(new Set(receiver.calls.map((c) => c.delivery)).size).toBe(2);
    for (const call of receiver.calls) {
      expect(call.event).toBe('purchase');
      expect(verifyWebhook(HOOK_SECRET, call.signature, call.body, Date.parse(JSON.parse(call.body).createdAt) + 10 * HOUR, 24 * 3600)).toBe(true);
      expect(verifyWebhook('whsec_wrong_0123456789', call.signature, call.body, T0, 10 ** 9)).toBe(false);
    }

    const dispatched = ((await (await read(collector, '/v1/events?type=execute-webhook')).json()) as { events: Envelope[] }).events;
    expect(dispatched.map((e) => (e.body as { deliveryId: string }).deliveryId).sort()).toEqual(ok.map((c) => c.delivery).sort());
    expect(await used()).toBe(3 + 2);
  });

  it('signs with a timestamp receivers check', () => {
    const body = '{"a":1}';
    const now = T0;
    const header = `t=${Math.floor(now / 1000)},v1=${'0'.repeat(64)}`;
    expect(verifyWebhook(HOOK_SECRET, header, body, now)).toBe(false);
  });

  it('backs off exponentially with jitter, honouring a later Retry-After', () => {
    expect(retryDelay(1, undefined, () => 0)).toBe(5_000);
    expect(retryDelay(1, undefined, () => 1)).toBe(10_000);
    expect(retryDelay(4, undefined, () => 1)).toBe(80_000);
    expect(retryDelay(30, undefined, () => 1)).toBe(6 * HOUR);
    expect(retryDelay(1, 120, () => 1)).toBe(120_000);
  });

  it('keep failing deliveries for 24 hours, then as dead letters an admin lists and retries (same delivery id)', async () => {
    let down = true;
    const clock = await setup(() => (down ? 503 : 204));
    await postServer(collector, [serverEvent('purchase', { orderId: 'o-9', value: 40, currency: 'EUR', items: [] }, { createdAt: new Date(T0).toISOString() })]);
    await drain(clock, HOUR, 30);
    const tries = receiver.calls.length;
    expect(tries).toBeGreaterThan(5);
    expect(new Set(receiver.calls.map((c) => c.delivery)).size).toBe(1);
    await drain(clock, HOUR, 5);
    expect(receiver.calls.length).toBe(tries); // dead: no more attempts

    const dead = ((await (await read(collector, '/v1/webhooks/dead')).json()) as { dead: Array<{ id: string; rule: string; lastError: string }> }).dead;
    expect(dead).toMatchObject([{ id: receiver.calls[0]!.delivery, rule: 'orders', eventType: 'purchase', lastError: 'HTTP 503' }]);
    expect((await read(collector, '/v1/webhooks/dead', 'sk_test_other')).status).toBe(200);
    expect(((await (await read(collector, '/v1/webhooks/dead', 'sk_test_other')).json()) as { dead: unknown[] }).dead).toEqual([]);
    expect((await collector.app.request('/v1/webhooks/dead/nope/retry', { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).status).toBe(404);
    expect((await collector.app.request(`/v1/webhooks/dead/${dead[0]!.id}/retry`, { method: 'POST' })).status).toBe(401);

    down = false;
    const retried = await collector.app.request(`/v1/webhooks/dead/${dead[0]!.id}/retry`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(retried.status).toBe(200);
    await drain(clock, HOUR, 2);
    expect(receiver.calls.at(-1)).toMatchObject({ delivery: dead[0]!.id, status: 204 });
    expect(receiver.calls.filter((c) => c.status === 204)).toHaveLength(1);
    expect(((await (await read(collector, '/v1/webhooks/dead')).json()) as { dead: unknown[] }).dead).toEqual([]);
    expect(await used()).toBe(2); // the purchase and its one dispatch
  });

  it('fire on derived events too (a cart-abandoned scenario)', async () => {
    receiver = await startReceiver();
    const clock = { now: T0 };
    collector = platformCollector({ webhooks: [{ id: 'carts', on: 'cart-abandoned', url: receiver.url, secret: HOOK_SECRET }] }, { now: () => clock.now });
    await post(collector, batch([event('cart-product-added', { productId: 'p-1', quantity: 1, price: 5 }, { createdAt: new Date(T0).toISOString() })]));
    clock.now = T0 + 5 * HOUR;
    await collector.jobs.run(); // stores cart-abandoned and queues its delivery
    await collector.jobs.run();
    expect(receiver.calls.map((c) => c.event)).toEqual(['cart-abandoned']);
  });
});

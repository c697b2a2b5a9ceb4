// Server keys (issue 16): the store's back end sends platform events and customer events without a
// browser; public write keys still cannot.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { parseConfig } from '../../src/collector/config';
import { secretIndex, serverBucket } from '../../src/collector/serverKeys';
import { ADMIN_KEY, batch, event, post, read, WRITE_KEY } from './support/app';
import { platformCollector, postServer, SERVER_KEY, serverEvent } from './support/platform';

let collector: Collector;
afterEach(() => collector?.close());

const shipment = (customerId: string) =>
  serverEvent('custom-event', { name: 'created_shippingbox', properties: { subscriptionId: 'sub-9', shippingBoxId: 'box-77' } }, { customerId });

describe('server keys', () => {
  it('let the back end send platform events and subscription shipments, stored and billed', async () => {
    collector = platformCollector();
    const sent = serverEvent('email-sent', { campaign: 'welcome', to: 'ana@example.com' });
    const response = await postServer(collector, [sent, shipment('c-1')]);
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { accepted: number; rejected: unknown[]; usage: { used: number } };
    expect(reply).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    expect(reply.usage.used).toBe(2);
    const { events } = (await (await read(collector, '/v1/events')).json()) as {
      events: Array<{ id: string; type: string; customerId: string; anonymousId?: string }>;
    };
    expect(events.map((e) => [e.type, e.customerId, e.anonymousId])).toEqual([
      ['email-sent', 'c-1', undefined],
      ['custom-event', 'c-1', undefined],
    ]);
    // Retried: stored once, billed once.
    const again = (await (await postServer(collector, [sent])).json()) as { duplicates: number; usage: { used: number } };
    expect(again).toMatchObject({ duplicates: 1, usage: { used: 2 } });
  });

  it('still refuses platform types, other libraries and browserless events from a public write key', async () => {
    collector = platformCollector();
    const refused = [
      event('email-sent', { campaign: 'welcome' }),
      { ...event(), context: { ...event().context, library: { name: 'shoptrail-node', version: '1' } } },
      serverEvent('web-page-visited', { url: 'https://shop.test/', referrer: '' }),
    ];
    const reply = (await (await post(collector, batch(refused))).json()) as { accepted: number; rejected: Array<{ error: string }> };
    expect(reply.accepted).toBe(0);
    expect(reply.rejected[0]!.error).toMatch(/^platform-only: "email-sent" is emitted by the platform only/);
    expect(reply.rejected[1]!.error).toMatch(/^invalid-envelope: event\.context\.library\.name/);
    expect(reply.rejected[2]!.error).toMatch(/^invalid-envelope/);
  });

  it('refuses unknown keys, write or admin keys as server keys, and server keys sent from a page', async () => {
    collector = platformCollector();
    const email = serverEvent('email-sent', {});
    expect((await postServer(collector, [email], 'sk_server_shop_0123456789abcdeX')).status).toBe(401);
    expect((await postServer(collector, [email], ADMIN_KEY)).status).toBe(401);
    expect((await postServer(collector, [email], WRITE_KEY)).status).toBe(401);
    const fromPage = await postServer(collector, [email], SERVER_KEY, { Origin: 'http://shop.test' });
    expect(fromPage.status).toBe(403);
    expect(await fromPage.json()).toEqual({ error: 'server keys are secret: never send them from a browser' });
    expect((await postServer(collector, [{ ...email, customerId: undefined }])).status).toBe(200);
    const reply = (await (await postServer(collector, [{ ...serverEvent('email-sent', {}), customerId: undefined }])).json()) as {
      rejected: Array<{ error: string }>;
    };
    expect(reply.rejected[0]!.error).toBe('invalid-envelope: event: give a customerId or an anonymousId');
  });

  it('keep the secret out of the database: the rate buckets are named by a hash', async () => {
    collector = platformCollector();
    await postServer(collector, [serverEvent('email-sent', {})]);
    const rows = await collector.stores.of('shop').report({ sql: 'SELECT key FROM rate_buckets ORDER BY key', params: [] });
    // Its budgets of batches, events and bytes (rateLimit.ts), each under the hash.
    const bucket = serverBucket(SERVER_KEY);
    expect(rows).toEqual([[bucket], [`${bucket}#bytes`], [`${bucket}#events`]]);
    expect(JSON.stringify(rows)).not.toContain(SERVER_KEY);
  });

  it('are checked by the config: length, env, distinct from write and admin keys, one entity each', () => {
    const base = { entity: 'shop', writeKeys: ['pk_shop'], adminKey: 'sk_admin_shop' };
    const env = { SHOP_SERVER_KEYS: `${SERVER_KEY}, sk_server_shop_next_0123456789` };
    expect(parseConfig({ entities: [{ ...base, serverKeysEnv: 'SHOP_SERVER_KEYS' }] }, env).entities[0]!.serverKeys).toEqual([
      SERVER_KEY,
      'sk_server_shop_next_0123456789',
    ]);
    const fails: Array<[unknown, string]> = [
      [{ entities: [{ ...base, serverKeys: ['short'] }] }, 'entities[0].serverKeys: a server key is shorter than 16 characters'],
      [{ entities: [{ ...base, serverKeysEnv: 'NOPE' }] }, 'entities[0].serverKeysEnv: environment variable NOPE is not set'],
      [{ entities: [{ ...base, writeKeys: [SERVER_KEY], serverKeys: [SERVER_KEY] }] }, 'entities[0].serverKeys: a server key is also a write key or an admin key'],
      [{ entities: [{ ...base, adminKey: SERVER_KEY, serverKeys: [SERVER_KEY] }] }, 'a server key is also a write key or an admin key'],
      [
        {
          entities: [
            { ...base, serverKeys: [SERVER_KEY] },
            { entity: 'b', writeKeys: ['pk_b'], serverKeys: [SERVER_KEY] },
          ],
        },
        'entities[1].serverKeys: a server key is already one of entities[0]',
      ],
    ];
    for (const [raw, message] of fails) expect(() => parseConfig(raw, {})).toThrow(message);
  });

  it('compare secrets through hashes, whichever matches', () => {
    const find = secretIndex([
      ['sk_a_0123456789abcdef', 'a'],
      ['sk_b_0123456789abcdef', 'b'],
    ]);
    expect(find('sk_b_0123456789abcdef')).toBe('b');
    expect(find('sk_b_0123456789abcdeg')).toBeUndefined();
    expect(find('')).toBeUndefined();
  });
});

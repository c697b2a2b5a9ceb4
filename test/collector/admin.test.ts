// Admin reads: a secret key per entity, reads that never cross entities.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { createKeys } from '../../src/collector/keys';
import { batch, event, OTHER_ADMIN_KEY, OTHER_KEY, post, read, testCollector, testConfig, vitals, WRITE_KEY } from './support/app';

let collector: Collector;
afterEach(() => collector?.close());

type Events = { events: { id: string; type: string; entity: string; anonymousId: string }[] };

describe('admin reads', () => {
  it.each(['/v1/events', '/v1/usage'])('%s needs an admin key', async (path) => {
    collector = testCollector();
    expect((await collector.app.request(path)).status).toBe(401);
    expect((await read(collector, path, 'wrong')).status).toBe(401);
    // A write key is public: it never reads.
    expect((await read(collector, path, WRITE_KEY)).status).toBe(401);
    expect((await read(collector, path)).status).toBe(200);
  });

  it("reads only the admin key's entity", async () => {
    collector = testCollector();
    const mine = event();
    const theirs = event('web-page-visited', undefined, { entity: 'other' });
    await post(collector, batch([mine]));
    await post(collector, batch([theirs], OTHER_KEY));
    const own = (await (await read(collector, '/v1/events')).json()) as Events;
    expect(own.events.map((e) => e.id)).toEqual([mine.id]);
    const other = (await (await read(collector, '/v1/events', OTHER_ADMIN_KEY)).json()) as Events;
    expect(other.events.map((e) => e.id)).toEqual([theirs.id]);
    expect((await read(collector, '/v1/events?entity=other')).status).toBe(403);
    expect((await read(collector, '/v1/usage?entity=other')).status).toBe(403);
    expect((await read(collector, '/v1/events?entity=shop')).status).toBe(200);
  });

  it('filters events by type and anonymous id, in arrival order, after a cursor, with a limit', async () => {
    collector = testCollector();
    const a = event('web-page-visited', undefined, { anonymousId: 'anon-a' });
    const b = vitals({ anonymousId: 'anon-b' });
    const c = event('web-page-visited', undefined, { anonymousId: 'anon-b' });
    await post(collector, batch([a, b]));
    await post(collector, batch([c]));
    const ids = async (query: string) => ((await (await read(collector, `/v1/events${query}`)).json()) as Events).events.map((e) => e.id);
    expect(await ids('')).toEqual([a.id, b.id, c.id]);
    expect(await ids('?type=web-page-visited')).toEqual([a.id, c.id]);
    expect(await ids('?anonymousId=anon-b')).toEqual([b.id, c.id]);
    expect(await ids('?anonymousId=anon-b&type=web-vitals')).toEqual([b.id]);
    expect(await ids('?limit=1')).toEqual([a.id]);
    expect(await ids(`?after=${a.id}`)).toEqual([b.id, c.id]);
    expect(await ids(`?after=${b.id}&type=web-page-visited`)).toEqual([c.id]);
    expect(await ids(`?after=${c.id}`)).toEqual([]);
    expect(await ids('?after=no-such-id')).toEqual([]);
    expect((await read(collector, '/v1/events?limit=0')).status).toBe(400);
    expect((await read(collector, '/v1/events?limit=abc')).status).toBe(400);
  });

  it('guards the profile, log, export and report routes with the same admin keys', async () => {
    collector = testCollector();
    for (const path of ['/v1/profiles', '/v1/customers/c-1', '/v1/export/customer-actions']) {
      expect((await collector.app.request(path)).status, path).toBe(401);
      expect((await read(collector, path, WRITE_KEY)).status, path).toBe(401);
    }
    expect((await read(collector, '/v1/profiles')).status).toBe(200);
    expect((await read(collector, '/v1/profiles?entity=other')).status).toBe(403);
  });

  it('keeps a profile from the identify events it stores', async () => {
    collector = testCollector();
    const identify = event('entity-identified', { customerId: 'c-42', traits: { email: 'ana@shop.test', attributes: { tier: 'gold' } } }, { anonymousId: 'anon-9' });
    const body = batch([identify]);
    expect(await (await post(collector, body)).json()).toMatchObject({ accepted: 1 });
    await post(collector, body); // a retry changes nothing
    const profile = await (await read(collector, '/v1/customers/c-42')).json();
    expect(profile).toMatchObject({
      profile: { entity: 'shop', customerId: 'c-42', email: 'ana@shop.test', attributes: { tier: 'gold' }, anonymousIds: ['anon-9'] },
    });
    expect((await read(collector, '/v1/customers/c-42', OTHER_ADMIN_KEY)).status).toBe(404);
  });

  it('takes the admin key from the environment, or makes a secret one', () => {
    const config = testConfig();
    config.entities[0] = { ...config.entities[0]!, adminKey: undefined, adminKeyEnv: 'SHOPTRAIL_ADMIN_KEY' };
    expect(createKeys(config, { SHOPTRAIL_ADMIN_KEY: 'sk_from_env' }).adminKeyOf('shop')).toBe('sk_from_env');
    const made = createKeys(config, {}).adminKeyOf('shop')!;
    expect(made).toMatch(/^sk_shop_[0-9a-f]{32}$/);
    expect(createKeys(config, {}).adminKeyOf('shop')).not.toBe(made);
  });
});

// The admin console's server side: sign-in by cookie, the proxied admin API for the session's
// entity only, and the reads it adds (usage by type, content, latest events, timeline, search,
// saved reports). On both engines.
import { describe, expect, it } from 'vitest';
import { issueToken } from '../../src/collector/console/session';
import { ADMIN_KEY, batch, event, OTHER_ADMIN_KEY, OTHER_KEY, post, read, testCollector } from './support/app';
import type { Collector } from '../../src/collector/app';

const signIn = async (collector: Collector, key = ADMIN_KEY) => {
  const res = await collector.app.request('/admin/session', { method: 'POST', body: JSON.stringify({ key }), headers: { 'content-type': 'application/json' } });
  return { res, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
};
const api = (collector: Collector, cookie: string, path: string, init: RequestInit = {}) =>
  collector.app.request(`/admin/api${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });

const seed = async (collector: Collector) => {
  const events = [
    event('web-page-visited'),
    event('web-content-opened', { contentId: 'hero', name: 'Autumn hero' }),
    event('web-content-clicked', { contentId: 'hero', name: 'Autumn hero', label: 'Shop' }),
    event('web-content-opened', { contentId: 'footer', name: 'Footer' }),
    event('push-notification-opened', { notificationId: 'n-1', topic: 'Sale', url: 'https://shop.test/sale' }),
    event('web-vitals', { name: 'LCP', value: 1200, rating: 'good' }),
    event('entity-identified', { customerId: 'c-1', traits: { email: 'Ana@Shop.test', attributes: { tier: 'gold' } } }),
  ];
  expect((await post(collector, batch(events))).status).toBe(200);
  const theirs = event('web-page-visited', undefined, { entity: 'other', anonymousId: 'anon-other' });
  expect((await post(collector, batch([theirs], OTHER_KEY))).status).toBe(200);
  return events;
};

describe('admin console: sessions', () => {
  it('signs in with an admin key into an HttpOnly, SameSite=Strict cookie, and refuses a wrong key clearly', async () => {
    const collector = testCollector();
    const wrong = await signIn(collector, 'pk_test_shop');
    expect(wrong.res.status).toBe(401);
    expect((await wrong.res.json()).error).toMatch(/not valid/);
    expect(wrong.res.headers.get('set-cookie')).toBeNull();

    const { res, cookie } = await signIn(collector);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/admin/);
    expect(setCookie).not.toContain(ADMIN_KEY);
    const session = await (await api(collector, cookie, '/session')).json();
    expect(session).toMatchObject({ entity: 'shop', allowance: 100 });
    expect(session.types.find((t: { type: string }) => t.type === 'web-vitals')).toEqual({ type: 'web-vitals', billable: false });

    const out = await collector.app.request('/admin/session', { method: 'DELETE' });
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await api(collector, '', '/usage')).status).toBe(401);
  });

  it('refuses forged, expired and cross-site session use', async () => {
    const collector = testCollector();
    const { cookie } = await signIn(collector);
    const [name, value] = cookie.split('=');
    const [entity, expiry, sig] = value!.split('.');
    const other = Buffer.from('other').toString('base64url');
    expect((await api(collector, `${name}=${other}.${expiry}.${sig}`, '/usage')).status).toBe(401);
    expect((await api(collector, `${name}=${entity}.${Number(expiry) + 1}.${sig}`, '/usage')).status).toBe(401);
    const old = issueToken(collector.keys, 'shop', Date.now() - 13 * 3600e3);
    expect((await api(collector, `${name}=${old}`, '/usage')).status).toBe(401);
    const cross = await api(collector, cookie, '/reports', { method: 'POST', body: '{}', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(cross.status).toBe(403);
    // Only admin reads are reachable: never the batch or the fault switches.
    expect((await api(collector, cookie, '/batch', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await api(collector, cookie, '/admin/faults', { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it("answers the session's entity only, exactly as the Bearer API does", async () => {
    const collector = testCollector();
    await seed(collector);
    const { cookie } = await signIn(collector);
    for (const path of ['/usage', '/profiles', '/customers/c-1', '/usage/by-type', '/content']) {
      expect(await (await api(collector, cookie, path)).json()).toEqual(await (await read(collector, `/v1${path}`)).json());
    }
    const events = (await (await api(collector, cookie, '/events?entity=other')).json()).events;
    expect(events.every((e: { entity: string }) => e.entity === 'shop')).toBe(true);
    const theirs = await signIn(collector, OTHER_ADMIN_KEY);
    expect((await (await api(collector, theirs.cookie, '/events')).json()).events.map((e: { entity: string }) => e.entity)).toEqual(['other']);
  });
});

describe('admin console: reads', () => {
  it('usage by type adds up to the billed usage, free events apart', async () => {
    const collector = testCollector();
    await seed(collector);
    const byType = await (await read(collector, '/v1/usage/by-type')).json();
    const usage = (await (await read(collector, '/v1/usage')).json()).usage;
    expect(byType.billable).toBe(usage.used);
    expect(byType.billable).toBe(6);
    expect(byType.free).toBe(1);
    expect(byType.types).toContainEqual({ type: 'web-vitals', billable: false, count: 1 });
    expect(byType.types).toContainEqual({ type: 'web-content-opened', billable: true, count: 2 });
  });

  it('content statistics per channel and per block', async () => {
    const collector = testCollector();
    await seed(collector);
    const content = await (await read(collector, '/v1/content')).json();
    const web = content.channels.find((c: { channel: string }) => c.channel === 'web');
    expect(web.totals).toEqual({ sends: 0, opens: 2, clicks: 1 });
    const push = content.channels.find((c: { channel: string }) => c.channel === 'push');
    expect(push.totals).toEqual({ sends: null, opens: 1, clicks: 0 });
    const today = new Date().toISOString().slice(0, 10);
    expect(web.daily.opens[content.days.indexOf(today)]).toBe(2);
    expect(content.blocks[0]).toEqual({ channel: 'web', block: 'hero', name: 'Autumn hero', sends: 0, opens: 1, clicks: 1 });
    expect(content.blocks).toContainEqual({ channel: 'push', block: 'n-1', name: 'Sale', sends: 0, opens: 1, clicks: 0 });
  });

  it('latest events end at the cursor GET /v1/events?after= continues from', async () => {
    const collector = testCollector();
    const events = await seed(collector);
    const latest = (await (await read(collector, '/v1/events/latest?limit=3')).json()).events;
    expect(latest.map((e: { id: string }) => e.id)).toEqual(events.slice(-3).map((e) => e.id));
    const later = event('search', { query: 'tea' });
    await post(collector, batch([later]));
    const after = (await (await read(collector, `/v1/events?after=${latest.at(-1).id}`)).json()).events;
    expect(after.map((e: { id: string }) => e.id)).toEqual([later.id]);
    expect((await read(collector, '/v1/events/latest?limit=0')).status).toBe(400);
  });

  it("a customer's timeline includes their merged browser, newest first; search by id or email", async () => {
    const collector = testCollector();
    await seed(collector);
    const timeline = (await (await read(collector, '/v1/customers/c-1/events')).json()).events;
    expect(timeline).toHaveLength(7); // anon-1 was merged into c-1
    expect(timeline.every((e: { entity: string }) => e.entity === 'shop')).toBe(true);
    for (const q of ['c-1', 'ana@shop.test', 'ANA@', 'c-']) {
      const found = (await (await read(collector, `/v1/profiles/search?q=${encodeURIComponent(q)}`)).json()).profiles;
      expect(found.map((p: { customerId: string }) => p.customerId)).toEqual(['c-1']);
    }
    expect((await (await read(collector, '/v1/profiles/search?q=%25')).json()).profiles).toEqual([]);
    expect((await (await read(collector, '/v1/profiles/search?q=c-1', OTHER_ADMIN_KEY)).json()).profiles).toEqual([]);
  });

  it('saved reports: saved, listed, replaced by name, deleted; per entity; a bad spec is refused', async () => {
    const collector = testCollector();
    const save = (body: unknown, key = ADMIN_KEY) =>
      collector.app.request('/v1/reports/saved', { method: 'POST', body: JSON.stringify(body), headers: { Authorization: `Bearer ${key}` } });
    const spec = { source: { type: 'purchase' }, dimensions: ['day'], measures: ['count'] };
    const first = await save({ name: 'Sales by day', spec });
    expect(first.status).toBe(201);
    const { report } = await first.json();
    await save({ name: 'Sales by day', spec: { ...spec, measures: ['count', 'sum:value'] } });
    expect((await save({ name: 'Broken', spec: { source: { type: 'nope' }, measures: ['count'] } })).status).toBe(400);
    expect((await save({ name: '', spec })).status).toBe(400);
    const list = (await (await read(collector, '/v1/reports/saved')).json()).reports;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: report.id, name: 'Sales by day', spec: { measures: ['count', 'sum:value'] } });
    expect((await (await read(collector, '/v1/reports/saved', OTHER_ADMIN_KEY)).json()).reports).toEqual([]);
    const del = (key: string) => collector.app.request(`/v1/reports/saved/${report.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${key}` } });
    expect((await del(OTHER_ADMIN_KEY)).status).toBe(404);
    expect((await del(ADMIN_KEY)).status).toBe(204);
    expect((await (await read(collector, '/v1/reports/saved')).json()).reports).toEqual([]);
  });
});

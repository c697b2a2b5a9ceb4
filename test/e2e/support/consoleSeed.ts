// A month of two entities' events for the console's end-to-end test, sent as a store would
// send them: POST /v1/batch with each entity's write key, one batch per day, the collector's
// clock set to that day so usage is billed on it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/collector/config';
import { type RunningCollector, startCollector } from '../../../src/collector/server';

export const ACME = { entity: 'acme', writeKey: 'pk_e2e_acme', adminKey: 'sk_e2e_acme_0123456789' };
export const GLOBEX = { entity: 'globex', writeKey: 'pk_e2e_globex', adminKey: 'sk_e2e_globex_0123456789' };
/** "Today" for the collector: the 20th day of the March 2026 cycle. */
export const TODAY = Date.parse('2026-03-20T20:00:00Z');

export interface Seeded {
  running: RunningCollector;
  url: string;
  clock: { now: number };
  /** Events per day sent for acme, by day. */
  perDay: Map<string, number>;
  close(): Promise<void>;
}

const envelope = (entity: string, type: string, body: Record<string, unknown>, at: string, who: { anonymousId: string; customerId?: string }) => ({
  id: randomUUID(),
  type,
  v: 1,
  entity,
  anonymousId: who.anonymousId,
  ...(who.customerId ? { customerId: who.customerId } : {}),
  sessionId: `s-${who.anonymousId}`,
  createdAt: at,
  context: {
    page: { url: 'https://shop.example/', path: type === 'search' ? '/search' : '/', title: 'Shop', referrer: '' },
    library: { name: 'shoptrail', version: 'e2e' },
  },
  body,
});

export const post = async (url: string, writeKey: string, events: unknown[]) => {
  const res = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    body: JSON.stringify({ writeKey, sentAt: new Date().toISOString(), batchId: randomUUID(), events }),
    headers: { 'content-type': 'application/json' },
  });
  const body = (await res.json()) as { accepted: number; rejected: unknown[] };
  if (res.status !== 200 || body.rejected.length) throw new Error(`batch refused: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body;
};

const CUSTOMERS = [
  { customerId: 'c-ana', email: 'ana@acme.example', tier: 'gold', anonymousId: 'anon-ana' },
  { customerId: 'c-ben', email: 'ben@acme.example', tier: 'silver', anonymousId: 'anon-ben' },
  { customerId: 'c-cleo', email: 'cleo@acme.example', tier: 'bronze', anonymousId: 'anon-cleo' },
];
const BLOCKS = [
  { contentId: 'hero-autumn', name: 'Autumn hero banner with a long name that should not wrap the rate' },
  { contentId: 'footer-news', name: 'Footer newsletter' },
  { contentId: 'popup-10off', name: '10% off pop-up' },
];

/** A day's events for acme: a varying number, of several kinds, some free. */
const acmeDay = (day: number, at: (h: number) => string) => {
  const events: unknown[] = [];
  const visits = 15 + ((day * 37) % 60);
  for (let i = 0; i < visits; i++)
    events.push(envelope('acme', 'web-page-visited', { url: 'https://shop.example/', referrer: '' }, at(8 + (i % 12)), { anonymousId: `anon-${day}-${i % 7}` }));
  for (let i = 0; i < 4; i++) events.push(envelope('acme', 'search', { query: `tea ${i}` }, at(10), { anonymousId: `anon-${day}-1` }));
  BLOCKS.forEach((b, k) => {
    for (let i = 0; i < 6 - 2 * k; i++) events.push(envelope('acme', 'web-content-opened', b, at(11), { anonymousId: `anon-${day}-2` }));
    for (let i = 0; i < 3 - k; i++) events.push(envelope('acme', 'web-content-clicked', { ...b, label: 'Shop now' }, at(11), { anonymousId: `anon-${day}-2` }));
  });
  events.push(
    envelope('acme', 'push-notification-opened', { notificationId: 'push-spring', topic: 'Spring sale', url: 'https://shop.example/sale' }, at(12), {
      anonymousId: `anon-${day}-3`,
    }),
  );
  if (day % 2)
    events.push(
      envelope('acme', 'push-notification-link-clicked', { notificationId: 'push-spring', topic: 'Spring sale', url: 'https://shop.example/sale' }, at(12), {
        anonymousId: `anon-${day}-3`,
      }),
    );
  for (let i = 0; i < 3; i++) events.push(envelope('acme', 'web-vitals', { name: 'LCP', value: 1800 + i, rating: 'good' }, at(9), { anonymousId: `anon-${day}-0` }));
  if (day % 3 === 0)
    events.push(envelope('acme', 'purchase', { orderId: `o-${day}`, value: 20 + day, currency: 'EUR', items: [] }, at(14), { anonymousId: `anon-${day}-4` }));
  return events;
};

const customerEvents = (at: (h: number) => string) =>
  CUSTOMERS.flatMap((c, k) => {
    const who = { anonymousId: c.anonymousId };
    const me = { anonymousId: c.anonymousId, customerId: c.customerId };
    const life = (name: string, h: number, properties: Record<string, unknown>) =>
      envelope('acme', 'custom-event', { name, properties: { userId: c.customerId, ...properties } }, at(h), me);
    return [
      envelope('acme', 'newsletter-subscribe', { email: c.email, list: 'newsletter' }, at(9), who),
      envelope(
        'acme',
        'entity-identified',
        { customerId: c.customerId, traits: { email: c.email, attributes: { tier: c.tier }, subscriptions: { sms: k === 0 } } },
        at(10),
        who,
      ),
      life('created_user', 10, { actorEmail: c.email }),
      life('created_subscription', 11, { subscriptionId: `sub-${c.customerId}`, actorEmail: c.email }),
      ...(k === 0 ? [life('cancel_subscription', 16, { subscriptionId: `sub-${c.customerId}`, actorEmail: c.email })] : []),
    ];
  });

export const seedConsole = async (): Promise<Seeded> => {
  const dir = mkdtempSync(join(tmpdir(), 'shoptrail-console-'));
  const clock = { now: TODAY };
  const config = parseConfig({
    store: `sqlite:${join(dir, 'collector.db')}`,
    entities: [
      { entity: ACME.entity, writeKeys: [ACME.writeKey], adminKey: ACME.adminKey, allowance: 1500, allowedOrigins: ['*'] },
      { entity: GLOBEX.entity, writeKeys: [GLOBEX.writeKey], adminKey: GLOBEX.adminKey, allowance: 500, allowedOrigins: ['*'] },
    ],
    rateLimit: { perSecond: 1000, burst: 1000 },
  });
  const running = await startCollector({ config, port: 0, log: false, drainMs: 0, now: () => clock.now });
  const perDay = new Map<string, number>();
  for (let day = 1; day <= 20; day++) {
    const date = `2026-03-${String(day).padStart(2, '0')}`;
    const at = (h: number) => `${date}T${String(h).padStart(2, '0')}:00:00.000Z`;
    clock.now = Date.parse(at(18));
    const events = [...acmeDay(day, at), ...(day === 5 ? customerEvents(at) : [])];
    await post(running.url, ACME.writeKey, events);
    perDay.set(date, events.length);
    if (day % 4 === 0) {
      await post(running.url, GLOBEX.writeKey, [
        envelope('globex', 'web-content-opened', { contentId: 'globex-secret-banner', name: 'Globex secret' }, at(10), { anonymousId: 'globex-anon' }),
        envelope('globex', 'entity-identified', { customerId: 'globex-customer', traits: { email: 'spy@globex.example' } }, at(11), { anonymousId: 'globex-anon' }),
      ]);
    }
  }
  clock.now = TODAY;
  return { running, url: running.url, clock, perDay, close: () => running.close() };
};

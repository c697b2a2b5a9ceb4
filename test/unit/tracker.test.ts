import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES, MAX_BODY_DEPTH } from '../../src/protocol';
import { createTracker } from '../../src/tracker';
import type { Tracker, TrackerError, TrackerOptions } from '../../src/types';
import { fakeCollector } from './support/collector';
import { tick } from './support/events';

let collector: ReturnType<typeof fakeCollector>;
let trackers: Tracker[] = [];

const start = (options: TrackerOptions = {}) => {
  const tracker = createTracker({ endpoint: 'https://collect.example', writeKey: 'pk_test', gzip: false, ...options });
  trackers.push(tracker);
  const errors: TrackerError[] = [];
  const warnings: string[] = [];
  tracker.on('error', (error) => errors.push(error));
  tracker.on('warning', ({ message }) => warnings.push(message));
  return { tracker, errors, warnings };
};

beforeEach(() => {
  collector = fakeCollector();
  vi.stubGlobal('fetch', collector.fetch);
});

afterEach(async () => {
  for (const tracker of trackers) tracker.shutdown();
  trackers = [];
  await tick(5);
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('track', () => {
  it('queues a valid event and returns its id', async () => {
    const { tracker } = start();
    const result = tracker.track('product-visited', { productId: 'p1', price: 12.5, currency: 'EUR' });
    expect(result).toEqual({ ok: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await tracker.flush();
    const stored = collector.storedOf('product-visited');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe(result.ok && result.id);
  });

  it('builds the envelope of DESIGN.md', async () => {
    history.replaceState(null, '', '/p/linen?utm_source=news&utm_medium=email&gclid=abc');
    const { tracker } = start({ entity: 'acme' });
    tracker.track('search', { query: 'linen' });
    await tracker.flush();
    const [event] = collector.storedOf('search');
    expect(event).toEqual({
      id: expect.any(String),
      type: 'search',
      v: 1,
      entity: 'acme',
      anonymousId: expect.any(String),
      sessionId: expect.any(String),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      context: {
        page: { url: location.href, path: '/p/linen', title: document.title, referrer: '' },
        utm: { source: 'news', medium: 'email', gclid: 'abc' },
        locale: navigator.language,
        library: { name: 'shoptrail', version: expect.any(String) },
      },
      body: { query: 'linen' },
    });
    history.replaceState(null, '', '/');
  });

  it('refuses unknown, platform-only and reserved types with a clear error, returned and emitted', async () => {
    const { tracker, errors } = start();
    const results = [
      tracker.track('page-view', {}),
      tracker.track('email-opened', {}),
      tracker.track('shoptrail-diagnostic', { code: 'x' }),
      tracker.track('purchase', { orderId: 'o1', value: 'ten', currency: 'EUR', items: [] }),
    ];
    expect(results.map((r) => !r.ok && 'error' in r && r.error.code)).toEqual(['unknown-type', 'platform-only', 'platform-only', 'invalid-body']);
    expect(errors.map((e) => e.message)).toEqual([
      'unknown event type "page-view"',
      '"email-opened" is emitted by the platform only',
      '"shoptrail-diagnostic" is reserved for Shoptrail itself',
      'purchase: body.value: expected number',
    ]);
    await tracker.flush();
    expect(collector.events().map((e) => e.type)).toEqual(['entity-created']);
  });

  it('refuses a body nested over 20 levels, or over its byte limit, with a clear error (issue 18)', async () => {
    const { tracker, errors } = start();
    const nest = (levels: number) => {
      let value: Record<string, unknown> = { leaf: 1 };
      for (let i = 1; i < levels; i++) value = { a: value };
      return value;
    };
    // body (1) › properties (2) › 18 more levels: 20 in all, the most a body may nest
    expect(tracker.track('custom-event', { name: 'deep', properties: nest(19) })).toMatchObject({ ok: true });
    const deep = tracker.track('custom-event', { name: 'deep', properties: nest(20) });
    expect(deep).toMatchObject({ ok: false, error: { code: 'too-deep', type: 'custom-event' } });
    expect(tracker.track('custom-event', { name: 'deep', properties: nest(1200) })).toMatchObject({ ok: false, error: { code: 'too-deep' } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(tracker.track('custom-event', { name: 'loop', properties: cyclic })).toMatchObject({ ok: false, error: { code: 'too-deep' } });
    const big = tracker.track('custom-event', { name: 'big', properties: { note: 'é'.repeat(15_000) } }); // 30,000 bytes of UTF-8
    expect(big).toMatchObject({ ok: false, error: { code: 'too-large', message: `custom-event: body over ${MAX_BODY_BYTES} bytes` } });
    expect(errors.map((e) => e.code)).toEqual(['too-deep', 'too-deep', 'too-deep', 'too-large']);
    expect(errors[0]!.message).toBe(`custom-event: body over ${MAX_BODY_DEPTH} levels deep`);
  });

  it('counts a body in UTF-8 bytes up to the byte, whether or not its length alone could pass it', () => {
    const { tracker } = start();
    const shell = JSON.stringify([{ name: 'edge', properties: { note: '' } }]).length; // ASCII: bytes = length
    // 'é' is 2 bytes: a note of 'é's and at most one 'a' makes `[body]` exactly `bytes` long
    const body = (bytes: number) => ({ name: 'edge', properties: { note: 'é'.repeat((bytes - shell) >> 1) + 'a'.repeat((bytes - shell) & 1) } });
    expect(tracker.track('custom-event', body(MAX_BODY_BYTES))).toMatchObject({ ok: true });
    expect(tracker.track('custom-event', body(MAX_BODY_BYTES + 1))).toMatchObject({ ok: false, error: { code: 'too-large' } });
    // short enough that even 3 bytes a unit would fit: accepted without a count
    expect(tracker.track('custom-event', { name: 'edge', properties: { note: '€'.repeat(9000) } })).toMatchObject({ ok: true });
  });

  it('measures depth by own keys only, as Object.values does', () => {
    const { tracker } = start();
    let deep: unknown = 1;
    for (let i = 0; i < 30; i++) deep = [deep];
    const inherited = Object.create({ deep }) as Record<string, unknown>; // enumerable, not own
    inherited.own = 1;
    expect(tracker.track('custom-event', { name: 'proto', properties: inherited })).toMatchObject({ ok: true });
  });

  it('accepts disused types with a deprecation warning, once', async () => {
    const { tracker, warnings } = start();
    expect(tracker.track('banner-link-clicked', { bannerId: 'b1' }).ok).toBe(true);
    expect(tracker.track('banner-link-clicked', { bannerId: 'b2' }).ok).toBe(true);
    expect(warnings.filter((w) => w.includes('disused'))).toEqual(['"banner-link-clicked" is disused: still accepted and billed, but better replaced']);
  });

  it('takes an explicit timestamp', async () => {
    const { tracker } = start();
    tracker.track('search', { query: 'a' }, { timestamp: '2026-11-01T08:00:00Z' });
    tracker.track('search', { query: 'b' }, { timestamp: Date.parse('2026-11-02T08:00:00Z') });
    await tracker.flush();
    expect(collector.storedOf('search').map((e) => e.createdAt)).toEqual(['2026-11-01T08:00:00.000Z', '2026-11-02T08:00:00.000Z']);
  });

  it('announces a new browser once with entity-created', async () => {
    const first = start().tracker;
    await first.flush();
    first.shutdown();
    const second = start().tracker;
    second.track('search', { query: 'x' });
    await second.flush();
    expect(collector.storedOf('entity-created')).toHaveLength(1);
    const [created] = collector.storedOf('entity-created');
    const [search] = collector.storedOf('search');
    expect(search!.anonymousId).toBe(created!.anonymousId);
  });
});

describe('identify', () => {
  it('emits entity-identified and stamps later events with the customer', async () => {
    const { tracker } = start();
    expect(tracker.identify('c-42', { plan: 'gold' }).ok).toBe(true);
    tracker.track('search', { query: 'x' });
    await tracker.flush();
    expect(collector.storedOf('entity-identified')[0]!.body).toEqual({ customerId: 'c-42', traits: { plan: 'gold' } });
    expect(collector.storedOf('search')[0]!.customerId).toBe('c-42');
  });

  it('does not bill the same identify again on every page', async () => {
    start().tracker.identify('c-42');
    const again = start().tracker;
    expect(again.identify('c-42')).toEqual({ ok: true, id: '', unchanged: true });
    expect(again.identify('c-42', { plan: 'gold' }).ok).toBe(true); // new traits are news
    expect(again.identify('c-43')).toMatchObject({ ok: true, id: expect.any(String) });
  });

  it('forgets the customer on reset', async () => {
    const { tracker } = start();
    tracker.identify('c-42');
    tracker.reset();
    tracker.track('search', { query: 'x' });
    await tracker.flush();
    const [identified] = collector.storedOf('entity-identified');
    const [search] = collector.storedOf('search');
    expect(search!.customerId).toBeUndefined();
    expect(search!.anonymousId).not.toBe(identified!.anonymousId);
  });
});

describe('page', () => {
  it('records a page visit with the current page in context', async () => {
    const { tracker } = start();
    history.pushState(null, '', '/journal/espresso');
    tracker.page({ title: 'Espresso guide', category: 'journal' });
    await tracker.flush();
    const [visit] = collector.storedOf('web-page-visited');
    expect(visit!.body).toEqual({ title: 'Espresso guide', category: 'journal' });
    expect(visit!.context.page.path).toBe('/journal/espresso');
    history.replaceState(null, '', '/');
  });
});

describe('consent', () => {
  it('holds everything in memory until granted, then sends it', async () => {
    const { tracker } = start({ requireConsent: true });
    tracker.track('search', { query: 'held' });
    await tracker.flush();
    await tick(5);
    expect(collector.sent).toHaveLength(0);
    expect(localStorage.length).toBe(0); // nothing stored either
    tracker.consent('granted');
    await tracker.flush();
    expect(collector.storedOf('search')).toHaveLength(1);
    expect(collector.storedOf('entity-created')).toHaveLength(1);
    expect(localStorage.getItem('shoptrail.consent')).toBe('"granted"');
  });

  it('drops everything when denied, and forgets the browser', async () => {
    collector.answer(() => ({ status: 503 }));
    const { tracker } = start();
    const dropped: string[] = [];
    tracker.on('dropped', ({ reason, events }) => dropped.push(...events.map((e) => `${reason}:${e.type}`)));
    tracker.track('search', { query: 'queued' });
    await tracker.flush();
    tracker.consent('denied');
    const after = tracker.track('search', { query: 'after' });
    await tick(20);
    expect(after).toMatchObject({ ok: false, dropped: 'consent-denied' });
    expect(dropped.sort()).toEqual(['consent-denied:entity-created', 'consent-denied:search', 'consent-denied:search']);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
    expect(localStorage.getItem('shoptrail.ids')).toBeNull();
    expect(localStorage.getItem('shoptrail.consent')).toBe('"denied"');
  });

  const withGpc = () => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
  afterEach(() => {
    delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
  });

  it('treats Global Privacy Control as denied unless the site grants consent', async () => {
    withGpc();
    const { tracker } = start();
    expect(tracker.track('search', { query: 'x' })).toMatchObject({ ok: false, dropped: 'consent-denied' });
    tracker.consent('granted');
    expect(tracker.track('search', { query: 'y' }).ok).toBe(true);
  });

  it('can ignore Global Privacy Control when configured to', () => {
    withGpc();
    expect(start({ respectGpc: false }).tracker.track('search', { query: 'x' }).ok).toBe(true);
  });
});

describe('never throws into the page', () => {
  const garbage: unknown[] = [
    undefined,
    null,
    0,
    NaN,
    '',
    'purchase',
    Symbol('s'),
    () => {},
    [],
    {},
    {
      toString: () => {
        throw new Error('boom');
      },
    },
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    ),
    Object.create(null),
    10n,
  ];

  it.each(garbage.map((value, i) => [i, value]))('every public call survives garbage argument #%i', async (_i, value) => {
    const { tracker, errors } = start();
    const calls = [
      () => tracker.track(value as string, value, value as never),
      () => tracker.track('custom-event', value, value as never),
      () => tracker.identify(value as string, value as never),
      () => tracker.page(value as never),
      () => tracker.consent(value as 'granted'),
      () => tracker.on(value as 'error', value as never),
      () => tracker.off(value as 'error', value as never),
      () => tracker.flush(),
      () => tracker.usage(),
    ];
    for (const call of calls) {
      let result: unknown;
      expect(() => (result = call())).not.toThrow();
      if (result instanceof Promise) await expect(result).resolves.toBeDefined();
    }
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error.message).toEqual(expect.any(String));
  });

  it('a listener that throws does not break tracking or other listeners', () => {
    const { tracker } = start();
    const seen: string[] = [];
    tracker.on('queued', () => {
      throw new Error('listener bug');
    });
    tracker.on('queued', ({ event }) => seen.push(event.type));
    expect(tracker.track('search', { query: 'x' }).ok).toBe(true);
    expect(seen).toEqual(['search']);
  });

  it('off removes a listener', () => {
    const { tracker } = start();
    const seen: string[] = [];
    const listener = ({ event }: { event: { type: string } }) => seen.push(event.type);
    tracker.on('queued', listener);
    tracker.track('search', { query: 'x' });
    tracker.off('queued', listener);
    tracker.track('search', { query: 'y' });
    expect(seen).toEqual(['search']);
  });
});

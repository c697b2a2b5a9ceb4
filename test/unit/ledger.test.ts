import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guards } from '../../src/guards';
import { type Book, type Op, apply, fresh, ledger, summarise } from '../../src/ledger';
import { createTracker } from '../../src/tracker';
import type { TrackerOptions, UsageWarning } from '../../src/types';
import { elapse, settle, useFakeClock } from './support/clock';
import { fakeCollector } from './support/collector';

describe('apply and summarise', () => {
  const day = '2026-11-23';
  it('moves activities from pending to what became of them, counting an id once', () => {
    const b = fresh();
    const ops: Op[] = [
      ['accepted', 'a', 'search', day],
      ['accepted', 'a', 'search', day], // acknowledged again (a retried batch)
      ['rejected', 'b', 'search', day, 'collector'],
      ['dropped', 'e', 'web-content-clicked', day, 'rate-limit'], // never queued
      ['dropped', 'd', 'web-page-visited', day, 'http-400'],
      ['observed', 'f', 'web-link-clicked', day, 'session-cap'],
    ];
    const s = summarise(apply(b, ops), [['purchase', day]]); // pending: what waits in the queue
    expect(s.activities).toEqual({ pending: 1, accepted: 1, rejected: 1, dropped: 2 });
    expect(s.byType.search).toEqual({ pending: 0, accepted: 1, rejected: 1, dropped: 0 });
    expect(s.byType.purchase).toEqual({ pending: 1, accepted: 0, rejected: 0, dropped: 0 });
    expect(s.byDay[day]).toEqual({ pending: 1, accepted: 1, rejected: 1, dropped: 2 });
    expect(s.drops).toEqual({ 'rate-limit': 1, 'http-400': 1 });
    expect(s.observed).toEqual({ 'session-cap': 1 });
    // An acknowledgement in a later task, or from another tab, still counts once.
    expect(summarise(apply(b, [['accepted', 'a', 'search', '2026-11-24']])).activities.accepted).toBe(1);
    // An event queued before the ledger listened (start-up) is counted when acknowledged.
    expect(summarise(apply(b, [['accepted', 'z', 'entity-created', day]])).activities.accepted).toBe(2);
  });

  it('remembers settled ids compactly (8 characters each, the latest 2,000), also from a book stored as a list', () => {
    const old: Book = { c: {}, s: ['a', 'b'], w: {} }; // the form before digests
    const b = apply(old, [
      ['accepted', 'a', 'search', day],
      ['accepted', 'c', 'search', day],
    ]);
    expect(summarise(b).activities.accepted).toBe(1);
    expect(b.s).toHaveLength(3 * 8);
    const burst: Op[] = Array.from({ length: 3000 }, (_, i) => ['accepted', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, 'search', day]);
    apply(b, burst);
    expect(summarise(b).activities.accepted).toBe(3001); // no two of 3,000 ids share a digest
    expect(b.s).toHaveLength(2000 * 8); // 16 KB cloned per write, not 80
    expect(summarise(apply(b, burst.slice(-2000))).activities.accepted).toBe(3001);
  });

  it('counts runs of ops like ops one by one, whatever breaks a run (kind, type, day, reason, a repeated id)', () => {
    const kinds = ['accepted', 'rejected', 'dropped', 'observed'] as const;
    const ops: Op[] = Array.from({ length: 400 }, (_, i) => [
      kinds[(i >> 3) % 4]!,
      `id-${i % 150}`, // repeats: an id settles once
      i % 7 < 5 ? 'search' : 'purchase',
      i % 50 < 45 ? day : '2026-11-24',
      (i >> 4) % 3 ? 'collector' : undefined,
    ]);
    const oneByOne = ops.reduce((b, op) => apply(b, [op]), fresh());
    const together = apply(fresh(), ops);
    expect(together.c).toEqual(oneByOne.c);
    expect(together.s).toBe(oneByOne.s);
    expect(Object.keys(together.c).length).toBeGreaterThan(8);
  });

  it('carries settled ids into a new cycle, not the counts', () => {
    const old: Book = apply(fresh(), [['accepted', 'b', 'search', '2026-11-30']]);
    const next = apply(fresh(old), [
      ['accepted', 'a', 'search', '2026-12-01'],
      ['accepted', 'b', 'search', '2026-12-01'],
    ]);
    expect(summarise(next).activities).toEqual({ pending: 0, accepted: 1, rejected: 0, dropped: 0 });
    expect(Object.keys(summarise(next).byDay)).toEqual(['2026-12-01']);
  });
});

describe('ledger plugin', () => {
  let collector: ReturnType<typeof fakeCollector>;
  let trackers: Array<{ shutdown(): void }> = [];

  const start = (options: TrackerOptions = {}) => {
    const tracker = createTracker({ endpoint: 'https://collect.example', writeKey: 'pk_test', flushInterval: 5000, gzip: false, ...options }, [guards, ledger]);
    trackers.push(tracker);
    return tracker;
  };
  const click = (i: number) => ({ contentId: `block-${i}`, contentType: 'banner' });

  beforeEach(() => {
    useFakeClock('2026-11-23T10:00:00Z');
    collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });

  afterEach(async () => {
    for (const tracker of trackers) tracker.shutdown();
    trackers = [];
    await settle();
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('counts pending until acknowledged, then accepted, by type and day, in this cycle', async () => {
    const tracker = start();
    await settle();
    tracker.track('search', { query: 'shoes' });
    tracker.track('web-vitals', { name: 'LCP', value: 1200, rating: 'good', id: 'v1' }); // free: not an activity
    tracker.page();
    let usage = await tracker.usage();
    expect(usage.cycle).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
    // Pending is what waits in the queue: entity-created (queued at start-up), the search, the page visit.
    expect(usage.activities).toEqual({ pending: 3, accepted: 0, rejected: 0, dropped: 0 });
    expect(usage.byType?.search?.pending).toBe(1);
    await tracker.flush();
    usage = await tracker.usage();
    expect(usage.activities).toEqual({ pending: 0, accepted: 3, rejected: 0, dropped: 0 });
    expect(usage.byType?.search?.accepted).toBe(1);
    expect(usage.byDay?.['2026-11-23']?.accepted).toBe(3);
    expect(usage.activities?.accepted).toBe([...collector.stored.values()].filter((e) => e.type !== 'web-vitals').length);
  });

  it('counts an event stored once however often it was sent (stored, then 503, then a duplicate)', async () => {
    const tracker = start();
    await settle();
    await tracker.flush();
    let fail = 1;
    collector.answer((request) => {
      for (const e of request.body.events) collector.stored.set(e.id, e);
      return fail-- > 0 ? { status: 503 } : { status: 200, body: { accepted: 0, duplicates: request.body.events.length, rejected: [] } };
    });
    tracker.track('search', { query: 'a' });
    tracker.track('search', { query: 'b' });
    await tracker.flush();
    expect((await tracker.usage()).activities).toMatchObject({ pending: 2, accepted: 1 });
    await elapse(10_000);
    expect((await tracker.usage()).activities).toMatchObject({ pending: 0, accepted: 3 });
    expect(collector.stored.size).toBe(3);
  });

  it('counts invalid events and events the collector refused as rejected', async () => {
    const tracker = start();
    await settle();
    tracker.track('purchase', { orderId: 'x' }); // invalid body
    tracker.track('not-a-type', {}); // unknown: costs nothing
    collector.answer((request) => ({
      status: 200,
      body: { accepted: request.body.events.length - 1, duplicates: 0, rejected: [{ id: request.body.events.at(-1)!.id, error: 'bad' }] },
    }));
    tracker.track('search', { query: 'a' });
    await tracker.flush();
    const usage = await tracker.usage();
    expect(usage.activities).toMatchObject({ rejected: 2, accepted: 1, pending: 0 });
    expect(usage.byType?.purchase?.rejected).toBe(1);
    expect(usage.byType?.search?.rejected).toBe(1);
  });

  it('counts a batch the collector refused for good (4xx) as dropped, by type, day and reason', async () => {
    const tracker = start();
    await settle();
    await tracker.flush(); // entity-created
    collector.answer(() => ({ status: 400, body: { error: 'malformed batch' } }));
    tracker.track('search', { query: 'a' });
    tracker.track('search', { query: 'b' });
    tracker.track('web-vitals', { name: 'LCP', value: 1200, rating: 'good', id: 'v1' }); // free: not an activity
    await tracker.flush();
    const usage = await tracker.usage();
    expect(usage.activities).toEqual({ pending: 0, accepted: 1, rejected: 0, dropped: 2 });
    expect(usage.byType?.search).toEqual({ pending: 0, accepted: 0, rejected: 0, dropped: 2 });
    expect(usage.byDay?.['2026-11-23']?.dropped).toBe(2);
    expect(usage.drops).toEqual({ 'http-400': 2 });
  });

  it('counts every guard drop with its reason; a runaway loop costs no more than the rate limit, a purchase passes', async () => {
    const tracker = start({ flushAt: 100 });
    await settle();
    let purchase: unknown;
    for (let i = 0; i < 10_000; i++) {
      tracker.track('web-content-clicked', click(i));
      if (i === 5000) purchase = tracker.track('purchase', { orderId: 'o-1', value: 20, currency: 'EUR', items: [] });
      if (i % 100 === 0) vi.advanceTimersByTime(600); // 10,000 clicks over one minute
    }
    expect(purchase).toMatchObject({ ok: true });
    await tracker.flush();
    const usage = await tracker.usage();
    const stored = collector.storedOf('web-content-clicked').length;
    expect(stored).toBeLessThanOrEqual(10 + 30);
    expect(collector.storedOf('purchase')).toHaveLength(1);
    expect(usage.byType?.['web-content-clicked']).toMatchObject({ accepted: stored, dropped: 10_000 - stored });
    expect(usage.drops).toEqual({ 'rate-limit': 10_000 - stored });
  });

  it('in observe mode counts what the guards would drop and drops nothing', async () => {
    const tracker = start({ guardMode: 'observe', flushAt: 100 });
    await settle();
    for (let i = 0; i < 50; i++) tracker.track('web-content-clicked', click(i));
    await tracker.flush();
    const usage = await tracker.usage();
    expect(collector.storedOf('web-content-clicked')).toHaveLength(50);
    expect(usage.activities?.dropped).toBe(0);
    expect(usage.observed).toEqual({ 'rate-limit': 40 });
  });

  it('writes at most once a second, whatever the number of events', async () => {
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const tracker = start({ flushAt: 1000, maxBatchEvents: 500, guardMode: 'observe' });
    await settle();
    const writes = () => put.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'cycles').length;
    const before = writes();
    for (let i = 0; i < 200; i++) tracker.track('search', { query: `q${i}` });
    await settle();
    const queued = writes();
    expect(queued - before).toBeLessThanOrEqual(1); // not one per event: pending is read from the queue
    await tracker.flush(); // one batch, 200 acknowledgements in one task
    await settle();
    expect(writes() - queued).toBe(0); // not yet: a delivery run is written in one go
    await elapse(1000);
    expect(writes() - queued).toBe(1);
    expect((await tracker.usage()).activities?.accepted).toBe(201); // + entity-created
  });

  it('keeps the ledger across pages', async () => {
    const first = start();
    await settle();
    first.track('search', { query: 'a' });
    await first.flush();
    first.track('search', { query: 'b' }); // still pending when the page goes
    await settle();
    first.shutdown();
    const second = start(); // the same configuration: its queue (src/tracker.ts partitions queues by endpoint, key and entity)
    await settle();
    expect((await second.usage()).activities).toMatchObject({ accepted: 2, pending: 1 });
  });

  it('merges the counts of two tabs instead of overwriting them', async () => {
    const a = start({ endpoint: '' });
    const b = start({ endpoint: '' });
    await settle();
    for (let i = 0; i < 3; i++) a.track('search', { query: `a${i}` });
    for (let i = 0; i < 4; i++) b.track('search', { query: `b${i}` });
    await settle();
    // The queue is shared: both see the 7 searches and the browser's entity-created.
    expect((await a.usage()).activities?.pending).toBe(8);
    expect((await b.usage()).activities?.pending).toBe(8);
  });

  it('falls back to memory when IndexedDB fails, and says so', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new Error('Connection to Indexed Database server lost');
    });
    const tracker = start({ endpoint: '' });
    const warnings: string[] = [];
    tracker.on('warning', (w) => warnings.push(w.code));
    await settle();
    tracker.track('search', { query: 'a' });
    expect((await tracker.usage()).activities).toMatchObject({ pending: 2 }); // + entity-created
    expect(warnings).toContain('ledger-memory');
  });

  it('writes nothing to IndexedDB before consent, and keeps the counts once granted', async () => {
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const tracker = start({ requireConsent: true });
    await settle();
    tracker.track('search', { query: 'a' });
    expect((await tracker.usage()).activities).toMatchObject({ pending: 1 });
    expect(put.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'cycles')).toHaveLength(0);
    tracker.consent('granted');
    await tracker.flush();
    expect((await tracker.usage()).activities).toMatchObject({ pending: 0, accepted: 2 }); // + entity-created
    expect(put.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'cycles').length).toBeGreaterThan(0);
  });

  it('warns once per cycle when the local projection exceeds the allowance', async () => {
    const tracker = start({ allowance: 300, endpoint: '', rateLimits: { search: { perMinute: 1e6, burst: 1e6 } } });
    const warnings: UsageWarning[] = [];
    tracker.on('usage-warning', (w) => warnings.push(w));
    await settle();
    // Nov 23, 10:00: 22.4 days in; 300 / 30 days needs more than 224 to project past 300.
    for (let i = 0; i < 230; i++) tracker.track('search', { query: `q${i}` });
    await settle();
    // 231 queued on this page (with entity-created) project to 309.
    expect(warnings).toEqual([{ projected: 309, allowance: 300, exhaustsOn: '2026-11-30', source: 'local' }]);
    tracker.track('search', { query: 'more' });
    await settle();
    expect(warnings).toHaveLength(1);
  });

  it('warns once per cycle across pages too', async () => {
    const options = { allowance: 10, endpoint: '', rateLimits: { search: { perMinute: 1e6, burst: 1e6 } } };
    const first = start(options);
    const warnings: UsageWarning[] = [];
    first.on('usage-warning', (w) => warnings.push(w));
    await settle();
    for (let i = 0; i < 20; i++) first.track('search', { query: `q${i}` });
    await settle();
    expect(warnings).toHaveLength(1);
    first.shutdown();
    const second = start(options);
    second.on('usage-warning', (w) => warnings.push(w));
    await settle();
    second.track('search', { query: 'again' });
    await settle();
    expect(warnings).toHaveLength(1);
  });

  it('reads the cycle options, also as script-tag strings', async () => {
    const tracker = start({ endpoint: '', ...({ cycleStartDay: '15', timeZone: 'Europe/Paris' } as object) });
    await settle();
    expect((await tracker.usage()).cycle).toEqual({ start: '2026-11-14T23:00:00.000Z', end: '2026-12-14T23:00:00.000Z' });
  });

  it('reports the account with its forecast, sheds low events near the allowance, and warns from the account', async () => {
    collector.answer((request) => ({
      status: 200,
      body: {
        accepted: request.body.events.length,
        duplicates: 0,
        rejected: [],
        usage: { cycleStart: '2026-11-01T00:00:00.000Z', cycleEnd: '2026-12-01T00:00:00.000Z', used: 950, allowance: 1000 },
      },
    }));
    const tracker = start();
    const warnings: UsageWarning[] = [];
    tracker.on('usage-warning', (w) => warnings.push(w));
    await settle();
    await tracker.flush();
    const usage = await tracker.usage();
    expect(usage.account).toMatchObject({ used: 950, allowance: 1000, percent: 95, exhaustsOn: '2026-11-24' });
    expect(usage.account?.projected).toBeGreaterThan(1000);
    expect(warnings.map((w) => w.source)).toEqual(['account']);
    expect(tracker.track('web-content-clicked', click(1))).toMatchObject({ ok: false, dropped: 'allowance' });
    expect(tracker.track('search', { query: 'still fine' })).toMatchObject({ ok: true });
    expect(tracker.track('purchase', { orderId: 'o-2', value: 1, currency: 'EUR', items: [] })).toMatchObject({ ok: true });
  });
});

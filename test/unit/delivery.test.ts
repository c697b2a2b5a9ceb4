import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../src/envelope';
import { ledger } from '../../src/ledger';
import { createTracker } from '../../src/tracker';
import type { BatchReport, TrackerEvents, TrackerOptions } from '../../src/types';
import { elapse, settle, useFakeClock } from './support/clock';
import { fakeCollector } from './support/collector';

let collector: ReturnType<typeof fakeCollector>;
let trackers: Array<{ shutdown(): void }> = [];

/** A tracker whose start-up work (entity-created) is already queued, so tests count only their own events. */
const start = (options: TrackerOptions = {}) => {
  // gzip off: CompressionStream completes on Node's thread pool, outside the turns the fake clock controls.
  const tracker = createTracker({ endpoint: 'https://collect.example', writeKey: 'pk_test', flushInterval: 5000, gzip: false, ...options });
  trackers.push(tracker);
  const batches: BatchReport[] = [];
  tracker.on('batch', (batch) => batches.push(batch));
  return { tracker, batches };
};
const customIds = () =>
  collector
    .events()
    .filter((e) => e.type === 'custom-event')
    .map((e) => e.body.properties);

beforeEach(() => {
  useFakeClock();
  collector = fakeCollector();
  vi.stubGlobal('fetch', collector.fetch);
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(async () => {
  for (const tracker of trackers) tracker.shutdown();
  trackers = [];
  await settle(); // let sends in flight finish against the fake before it goes
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const track = (tracker: ReturnType<typeof start>['tracker'], n: number, extra: Record<string, unknown> = {}) => {
  for (let i = 0; i < n; i++) tracker.track('custom-event', { name: 'step', properties: { i, ...extra } });
};

describe('delivery', () => {
  it('flushes as soon as flushAt events wait, in one request', async () => {
    const { tracker } = start({ flushAt: 10 });
    await settle();
    collector.sent.length = 0; // the start-up entity-created
    track(tracker, 10);
    await settle();
    expect(collector.sent).toHaveLength(1);
    expect(customIds()).toEqual(Array.from({ length: 10 }, (_, i) => ({ i })));
  });

  it('flushes fewer events on the interval, and not before', async () => {
    const { tracker } = start({ flushAt: 50 });
    track(tracker, 3);
    await elapse(900);
    expect(collector.sent).toHaveLength(0);
    await elapse(5000);
    expect(customIds()).toHaveLength(3);
  });

  it('stores nothing and sends nothing new after everything was acknowledged', async () => {
    const { tracker } = start();
    track(tracker, 5);
    await tracker.flush();
    const requests = collector.sent.length;
    await elapse(20_000);
    expect(collector.sent).toHaveLength(requests);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  it('keeps every batch within 64 KiB and loses nothing when splitting', async () => {
    const { tracker, batches } = start({ flushAt: 500, maxBatchEvents: 500 });
    const note = 'x'.repeat(3000);
    for (let i = 0; i < 60; i++) tracker.track('custom-event', { name: 'big', properties: { i, note } });
    const result = await tracker.flush();
    expect(result).toMatchObject({ remaining: 0 });
    for (const request of collector.sent) expect(request.bytes).toBeLessThanOrEqual(64 * 1024);
    for (const batch of batches) expect(batch.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(collector.sent.length).toBeGreaterThan(2);
    const got = collector
      .events()
      .filter((e) => e.body.name === 'big')
      .map((e) => (e.body.properties as { i: number }).i);
    expect(got).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('respects maxBatchEvents', async () => {
    const { tracker } = start({ maxBatchEvents: 7, flushAt: 100 });
    await settle();
    track(tracker, 20);
    await tracker.flush();
    // entity-created (start-up) is a segment of its own, the 20 of one task segments of 7, 7 and 6:
    // batches take whole segments, never more than 7 events.
    expect(collector.sent.map((r) => r.body.events.length)).toEqual([1, 7, 7, 6]);
  });

  it('delivers whole segments of the queue: a burst leaves it without a record written again', async () => {
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const { tracker } = start({ flushAt: 1000 });
    await settle();
    for (let i = 0; i < 300; i++) tracker.track('custom-event', { name: 'big', properties: { text: 'x'.repeat(400) } });
    await tracker.flush();
    expect(collector.storedOf('custom-event')).toHaveLength(300);
    // Segments are keyed <first event>~<count>: every event was put once, none again (300 + entity-created).
    const keys = put.mock.calls.filter((_, i) => (put.mock.contexts[i] as IDBObjectStore).name === 'events').map(([, key]) => String(key));
    expect(keys.reduce((sum, key) => sum + parseInt(key.split('~')[1]!, 36), 0)).toBe(301);
    expect(collector.sent.every((r) => r.body.events.length <= 100)).toBe(true);
  });

  it('backs off with jitter on 5xx and delivers once the collector recovers', async () => {
    const { tracker, batches } = start({ flushAt: 5 });
    await settle();
    collector.answer(() => ({ status: 503 }));
    track(tracker, 5);
    await settle();
    // Full jitter with Math.random() = 0.5: attempt 0 waits 500 ms, attempt 1 waits 1000 ms …
    expect(batches.at(-1)).toMatchObject({ status: 503, outcome: 'retry', retryInMs: 500 });
    await elapse(1000);
    expect(collector.sent).toHaveLength(2);
    expect(batches.at(-1)).toMatchObject({ status: 503, retryInMs: 1000 });
    collector.answer(() => ({ status: 200 }));
    await elapse(2000);
    expect(collector.sent).toHaveLength(3);
    const [first, second, third] = collector.sent.map((request) => request.at);
    expect(second! - first!).toBeGreaterThanOrEqual(500);
    expect(third! - second!).toBeGreaterThanOrEqual(1000);
    expect(collector.sent[2]!.body.events.map((e) => e.id)).toEqual(collector.sent[0]!.body.events.map((e) => e.id));
    expect(collector.storedOf('custom-event')).toHaveLength(5);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  it('honours Retry-After on 429: nothing is sent before it elapses, not even on flush()', async () => {
    const { tracker } = start({ flushAt: 100 });
    collector.answer(() => ({ status: 429, headers: { 'Retry-After': '30' }, body: { error: 'rate limited' } }));
    track(tracker, 3);
    const first = await tracker.flush();
    expect(first.retryInMs).toBe(30_000);
    const count = collector.sent.length;
    collector.answer(() => ({ status: 200 }));
    expect((await tracker.flush()).retryInMs).toBeGreaterThan(0);
    await elapse(29_000, 1000);
    expect(collector.sent).toHaveLength(count);
    await elapse(2000);
    expect(collector.sent).toHaveLength(count + 1);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  it('honours Retry-After on the next page too: a reload does not ask again before it elapses', async () => {
    const first = start({ flushAt: 100 }).tracker;
    collector.answer(() => ({ status: 429, headers: { 'Retry-After': '30' } }));
    track(first, 3);
    await first.flush();
    first.shutdown();
    const count = collector.sent.length;
    collector.answer(() => ({ status: 200 }));
    const second = start({ flushAt: 100 }).tracker; // the next page, 0 s later
    await elapse(29_000, 1000);
    expect(collector.sent).toHaveLength(count);
    await elapse(7000);
    expect(collector.storedOf('custom-event')).toHaveLength(3);
    expect(await second.usage()).toMatchObject({ queue: { size: 0 } });
  });

  it('drops a batch the collector refuses for good (4xx), with the reason', async () => {
    const { tracker } = start({ flushAt: 100 });
    const dropped: Array<{ reason: string; n: number }> = [];
    tracker.on('dropped', ({ reason, events }) => dropped.push({ reason, n: events.length }));
    collector.answer(() => ({ status: 400, body: { error: 'malformed batch' } }));
    track(tracker, 4);
    await tracker.flush();
    await elapse(120_000, 5000);
    expect(dropped.every((d) => d.reason === 'http-400')).toBe(true);
    expect(dropped.reduce((sum, d) => sum + d.n, 0)).toBe(5); // 4 + entity-created
    expect(collector.sent).toHaveLength(dropped.length); // each batch once, never retried
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  for (const status of [401, 403]) {
    it(`keeps the events when the write key is refused (${status}), says so once, stops sending, and tries again on the next page`, async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const { tracker } = start({ flushAt: 100 });
      const errors: string[] = [];
      const dropped: string[] = [];
      tracker.on('error', ({ code }) => errors.push(code));
      tracker.on('dropped', ({ reason }) => dropped.push(reason));
      collector.answer(() => ({ status, body: { error: 'unknown write key' } }));
      track(tracker, 4);
      expect(await tracker.flush()).toEqual({ delivered: 0, remaining: 5 }); // 4 + entity-created
      track(tracker, 2);
      expect(await tracker.flush()).toEqual({ delivered: 0, remaining: 7 });
      await elapse(120_000, 5000);
      expect(collector.sent).toHaveLength(1); // nothing more from this page
      expect(errors).toEqual(['write-key-refused']);
      expect(warn).toHaveBeenCalledTimes(1); // without debug
      expect(String(warn.mock.calls[0]![0])).toContain(`HTTP ${status}`);
      expect(dropped).toEqual([]);
      tracker.shutdown();
      collector.answer(() => ({ status: 200 })); // the store fixed its tag
      const next = start({ flushAt: 100 }).tracker;
      expect(await next.flush()).toMatchObject({ delivered: 7, remaining: 0 });
      expect(collector.storedOf('custom-event')).toHaveLength(6);
    });
  }

  it('halves a batch the collector finds too large (413) and keeps the smaller size', async () => {
    const { tracker } = start({ flushAt: 100 });
    await settle();
    collector.answer((request) => (request.body.events.length > 4 ? { status: 413 } : { status: 200 }));
    track(tracker, 10);
    await tracker.flush();
    // Halved to 5: entity-created's segment alone (the next holds 10), then 5 of those 10, refused, then 2 at a time.
    expect(collector.sent.map((r) => r.body.events.length)).toEqual([11, 1, 5, 2, 2, 2, 2, 2]);
    expect(collector.storedOf('custom-event')).toHaveLength(10);
  });

  it('drops a single event the collector finds too large, and goes on', async () => {
    const { tracker } = start({ flushAt: 100 });
    await settle();
    const dropped: string[] = [];
    tracker.on('dropped', ({ reason, events }) => dropped.push(...events.map((e) => `${reason}:${e.body.name}`)));
    collector.answer((request) => (request.body.events.some((e) => e.body.name === 'huge') ? { status: 413 } : { status: 200 }));
    tracker.track('custom-event', { name: 'huge' });
    tracker.track('custom-event', { name: 'fine' });
    await tracker.flush();
    expect(dropped).toEqual(['too-large:huge']);
    expect([...collector.stored.values()].map((e) => e.body.name ?? e.type)).toEqual(['entity-created', 'fine']);
  });

  it('isolates an event the collector keeps failing on (500), drops it as poison, and delivers the rest and what comes after', async () => {
    const { tracker } = start({ flushAt: 100 });
    await settle();
    const dropped: string[] = [];
    tracker.on('dropped', ({ reason, events }) => dropped.push(...events.map((e) => `${reason}:${String(e.body.name)}`)));
    const poisoned = (request: { body: { events: Array<{ body: Record<string, unknown> }> } }) => request.body.events.some((e) => e.body.name === 'poison');
    collector.answer((request) => (poisoned(request) ? { status: 500, body: { error: 'internal' } } : { status: 200 }));
    track(tracker, 6);
    tracker.track('custom-event', { name: 'poison' });
    track(tracker, 5, { after: true });
    await tracker.flush();
    await elapse(30_000, 500);
    expect(dropped).toEqual(['poison:poison']);
    expect(collector.storedOf('custom-event')).toHaveLength(11);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
    const requests = collector.sent.length;
    expect(requests).toBeLessThan(20); // halving, not one request per event
    track(tracker, 3, { later: true });
    await tracker.flush();
    expect(collector.storedOf('custom-event')).toHaveLength(14);
    expect(collector.sent).toHaveLength(requests + 1);
  });

  it('drops nothing when every request fails with 500 (a collector down, not poison), and delivers everything once it is back', async () => {
    const { tracker } = start({ flushAt: 100 });
    await settle();
    const dropped: string[] = [];
    tracker.on('dropped', ({ reason }) => dropped.push(reason));
    collector.answer(() => ({ status: 500 }));
    track(tracker, 12);
    await tracker.flush();
    await elapse(120_000, 1000);
    expect(dropped).toEqual([]);
    expect(collector.sent.length).toBeLessThan(40);
    collector.answer(() => ({ status: 200 }));
    await elapse(70_000, 1000);
    expect(collector.storedOf('custom-event')).toHaveLength(12);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  it('never splits on 503 (the collector is down): the batch stays whole', async () => {
    const { tracker } = start({ flushAt: 100 });
    await settle();
    collector.answer(() => ({ status: 503 }));
    track(tracker, 8);
    await tracker.flush();
    await elapse(30_000, 500);
    expect(new Set(collector.sent.map((r) => r.body.events.length))).toEqual(new Set([9])); // 8 + entity-created;
  });

  it('reports events the collector rejected and does not resend them', async () => {
    const { tracker } = start({ flushAt: 100 });
    const rejected: string[] = [];
    const acked: string[] = [];
    tracker.on('rejected', ({ event, error }) => rejected.push(`${event.body.name}: ${error}`));
    tracker.on('acked', ({ events }) => acked.push(...events.map((e) => String(e.body.name ?? e.type))));
    collector.answer((request) => {
      const bad = request.body.events.filter((e) => e.body.name === 'bad');
      return {
        status: 200,
        body: {
          accepted: request.body.events.length - bad.length,
          duplicates: 0,
          rejected: bad.map((e) => ({ id: e.id, error: 'entity does not match the write key' })),
          usage: { cycleStart: '2026-11-01', cycleEnd: '2026-12-01', used: 10, allowance: 1000 },
        },
      };
    });
    tracker.track('custom-event', { name: 'good' });
    tracker.track('custom-event', { name: 'bad' });
    const usage: unknown[] = [];
    tracker.on('usage', (u) => usage.push(u));
    await tracker.flush();
    await elapse(2000);
    expect(rejected).toEqual(['bad: entity does not match the write key']);
    expect(acked.sort()).toEqual(['entity-created', 'good']);
    expect(usage[0]).toEqual({ cycleStart: '2026-11-01', cycleEnd: '2026-12-01', used: 10, allowance: 1000 });
    expect((await tracker.usage()).account).toBeNull(); // reported with its forecast by the ledger (modules.ts)
    const requests = collector.sent.length;
    await elapse(30_000, 5000);
    expect(collector.sent).toHaveLength(requests);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  /** The envelopes JSON.parse returned for these ids (the events' stored JSON parsed back). */
  const parsedOf = (parse: { mock: { results: Array<{ value: unknown }> } }, ids: Set<string>) =>
    parse.mock.results.filter(({ value }) => ids.has((value as { id?: string } | null)?.id as string));

  it('parses acknowledged events for a listener that reads them: once, equal to what was tracked, the same array every read', async () => {
    const { tracker } = start({ flushAt: 100 });
    const queued: Envelope[] = [];
    tracker.on('queued', ({ event }) => queued.push(event)); // entity-created, at start-up, too
    await settle();
    const reads: Envelope[][] = [];
    tracker.on('acked', (payload) => reads.push(payload.events, payload.events));
    track(tracker, 5);
    const parse = vi.spyOn(JSON, 'parse');
    await tracker.flush();
    expect(reads).toHaveLength(2);
    expect(reads[0]).toBe(reads[1]);
    expect(queued.map((e) => e.type)).toEqual(['entity-created', ...Array(5).fill('custom-event')]);
    expect(reads[0]).toEqual(queued);
    expect(parsedOf(parse, new Set(queued.map((e) => e.id)))).toHaveLength(6); // each once
  });

  it('parses no acknowledged event when no listener reads `events`: the ledger counts from ids and types', async () => {
    const tracker = createTracker({ endpoint: 'https://collect.example', writeKey: 'pk_test', flushInterval: 5000, gzip: false, flushAt: 100 }, [ledger]);
    trackers.push(tracker);
    await settle();
    const acked: Array<TrackerEvents['acked']> = [];
    tracker.on('acked', (payload) => acked.push(payload)); // hears it, reads only batchId
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((tracker.track('search', { query: `q${i}` }) as { id: string }).id);
    const parse = vi.spyOn(JSON, 'parse');
    await tracker.flush();
    expect(acked.map((a) => a.batchId)).toEqual(collector.sent.slice(-1).map((r) => r.body.batchId));
    expect(parsedOf(parse, ids)).toEqual([]);
    parse.mockRestore();
    expect((await tracker.usage()).byType?.search).toMatchObject({ accepted: 5, pending: 0 });
  });

  const hide = () => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('pagehide')); // both fire on a real unload: one send only
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  };

  it('sends this tab’s events with keepalive when the page is hidden, and acknowledges them if it stays alive', async () => {
    // happy-dom's Request lacks `keepalive`; Chromium, Firefox and Safari have it.
    Object.defineProperty(Request.prototype, 'keepalive', { get: () => false, configurable: true });
    const { tracker, batches } = start({ flushAt: 100 });
    track(tracker, 3);
    await settle(1); // the microtask start: entity-created is queued too
    hide();
    await settle();
    delete (Request.prototype as { keepalive?: boolean }).keepalive;
    expect(collector.sent).toHaveLength(1);
    expect(collector.sent[0]!.init.keepalive).toBe(true);
    expect(batches[0]).toMatchObject({ transport: 'keepalive', outcome: 'acked' });
    expect(customIds()).toHaveLength(3);
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  it('falls back to sendBeacon on hide, keeping the events queued until acknowledged', async () => {
    const beacons: string[] = [];
    vi.spyOn(navigator, 'sendBeacon').mockImplementation((_url, data) => {
      void (data as Blob).text().then((text) => beacons.push(text));
      return true;
    });
    const { tracker, batches } = start({ flushAt: 100 });
    track(tracker, 3);
    await settle(1);
    hide();
    await settle();
    expect(beacons).toHaveLength(1);
    expect(JSON.parse(beacons[0]!).events).toHaveLength(4);
    expect(batches[0]).toMatchObject({ transport: 'beacon', outcome: 'handed-off' });
    expect(collector.sent).toHaveLength(0);
    // A beacon's answer is never read: the events stay until a normal flush is acknowledged.
    expect(await tracker.usage()).toMatchObject({ queue: { size: 4 } });
    await tracker.flush();
    expect(await tracker.usage()).toMatchObject({ queue: { size: 0 } });
  });

  it('retries at once when the network comes back after a network error', async () => {
    const { tracker } = start({ flushAt: 100 });
    collector.answer(() => 'network-error');
    track(tracker, 2);
    await tracker.flush();
    vi.mocked(Math.random).mockReturnValue(0.99);
    await tracker.flush(); // second failure: the next retry is far off
    const count = collector.sent.length;
    collector.answer(() => ({ status: 200 }));
    window.dispatchEvent(new Event('online'));
    await settle();
    expect(collector.sent).toHaveLength(count + 1);
    expect(collector.storedOf('custom-event')).toHaveLength(2);
  });

  it('does not try while the browser says it is offline', async () => {
    const { tracker } = start({ flushAt: 100 });
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    track(tracker, 2);
    expect(await tracker.flush()).toMatchObject({ delivered: 0, remaining: 3 });
    expect(collector.sent).toHaveLength(0);
  });

  it('sends queued events only with the endpoint, key and entity they were tracked with (issue 13)', async () => {
    collector.answer((request) => (request.body.writeKey === 'pk_wrong' ? { status: 401 } : { status: 200 }));
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const wrong = start({ flushAt: 100, writeKey: 'pk_wrong' }).tracker;
    track(wrong, 3, { key: 'wrong' });
    await wrong.flush();
    wrong.shutdown();
    const good = start({ flushAt: 100 }).tracker; // another tab, another key
    track(good, 2, { key: 'good' });
    expect(await good.flush()).toMatchObject({ remaining: 0 });
    await elapse(10_000, 1000);
    const underGood = collector.sent.filter((r) => r.body.writeKey === 'pk_test').flatMap((r) => r.body.events);
    expect(underGood.filter((e) => e.type === 'custom-event').map((e) => (e.body.properties as { key: string }).key)).toEqual(['good', 'good']);
    expect(collector.storedOf('custom-event')).toHaveLength(2);
    good.shutdown();
    collector.answer(() => ({ status: 200 })); // the key is accepted again: that configuration's next page sends its own
    const fixed = start({ flushAt: 100, writeKey: 'pk_wrong' }).tracker;
    expect(await fixed.flush()).toMatchObject({ delivered: 4, remaining: 0 }); // 3 + the entity-created its first page announced
    expect(collector.sent.at(-1)!.body.writeKey).toBe('pk_wrong');
  });

  it('leaves events for the next page: a second tracker on the same storage sends them', async () => {
    collector.answer(() => ({ status: 503 }));
    const first = start({ flushAt: 100 }).tracker;
    track(first, 4, { page: 1 });
    await first.flush();
    first.shutdown();
    collector.answer(() => ({ status: 200 }));
    const second = start({ flushAt: 100 }).tracker;
    await second.flush();
    expect(collector.storedOf('custom-event')).toHaveLength(4);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { bound, clear, createQueue, push, type QueueItem, type QueueOptions, read, remove, settle, size, spill, unsent } from '../../src/queue';
import { makeEvent, tick } from './support/events';

const setup = (options: Partial<QueueOptions> = {}) => {
  const drops: Array<[string, QueueItem[]]> = [];
  const storage: string[] = [];
  const queue = createQueue({
    name: 'test',
    maxEvents: 1000,
    maxAgeMs: 7 * 24 * 3_600_000,
    onDrop: (reason, items) => drops.push([reason, items]),
    onStorage: (mode) => storage.push(mode),
    ...options,
  });
  bound(queue); // as delivery does
  return { queue, drops, storage };
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('queue', () => {
  it('writes the track() calls of one task in one IndexedDB transaction', async () => {
    const { queue } = setup();
    await size(queue); // open the database first; only the writes are counted
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    for (let i = 0; i < 200; i++) push(queue, makeEvent());
    await tick();
    await settle(queue);
    const writes = transaction.mock.calls.filter(([, mode]) => mode === 'readwrite');
    expect(writes).toHaveLength(1);
    expect(await size(queue)).toBe(200);
  });

  it('splits a burst of thousands into chunks, one transaction and one task each', async () => {
    const { queue } = setup({ maxEvents: 10_000 });
    await size(queue);
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    for (let i = 0; i < 2000; i++) push(queue, makeEvent());
    await settle(queue);
    expect(transaction.mock.calls.filter(([, mode]) => mode === 'readwrite')).toHaveLength(10); // 200 a chunk;
    expect(await size(queue)).toBe(2000);
  });

  it('stores the events of one write in few records (segments): a burst costs a put per 32 KB, not one per event', async () => {
    const { queue } = setup({ maxEvents: 10_000 });
    await size(queue);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    for (let i = 0; i < 500; i++) push(queue, makeEvent());
    await settle(queue);
    // Three write chunks (200 + 200 + 100), each cut into segments of at most 32 KB of JSON.
    const bytes = (await read(queue, 500)).reduce((sum, item) => sum + item.bytes, 0);
    expect(put.mock.calls.length).toBeLessThanOrEqual(3 + Math.ceil(bytes / (32 * 1024)));
    expect(await size(queue)).toBe(500);
  });

  it('removes part of a segment and keeps the rest, with an exact count, also for items read before the segment moved', async () => {
    const { queue } = setup();
    const events = Array.from({ length: 5 }, () => makeEvent());
    for (const event of events) push(queue, event);
    const before = await read(queue, 10); // one segment of 5
    await remove(queue, before.slice(1, 3));
    expect(await size(queue)).toBe(3);
    expect((await read(queue, 10)).map((item) => item.id)).toEqual([0, 3, 4].map((i) => events[i]!.id));
    // Items read before that removal name the segment's old key: they still find their events.
    await remove(queue, [before[3]!]);
    await remove(queue, [before[0]!, before[4]!]);
    expect(await size(queue)).toBe(0);
    expect(await read(queue, 10)).toEqual([]);
  });

  it('reads and removes events stored one per record by an earlier version', async () => {
    const { queue } = setup();
    const events = [makeEvent(), makeEvent()];
    // The format before segments: one QueueItem per record, under its own key.
    const request = indexedDB.open('test-queue');
    const db = await new Promise<IDBDatabase>((resolve) => {
      request.onupgradeneeded = () => request.result.createObjectStore('events');
      request.onsuccess = () => resolve(request.result);
    });
    await new Promise((resolve) => {
      const tx = db.transaction('events', 'readwrite');
      events.forEach((event, i) => {
        const k = `${(Date.now() - 1000).toString(36).padStart(9, '0')}.legacy.${i}`;
        const json = JSON.stringify(event);
        tx.objectStore('events').put({ k, id: event.id, type: event.type, r: 1, json, bytes: json.length }, k);
      });
      tx.oncomplete = resolve;
    });
    db.close();
    const fresh = makeEvent();
    push(queue, fresh);
    await settle(queue);
    expect(await size(queue)).toBe(3);
    const items = await read(queue, 10);
    expect(items.map((item) => item.id)).toEqual([...events, fresh].map((e) => e.id));
    await remove(queue, items.slice(0, 2));
    expect((await read(queue, 10)).map((item) => item.id)).toEqual([fresh.id]);
  });

  it('reads oldest first and keeps events until they are removed', async () => {
    const { queue } = setup();
    const events = [makeEvent(), makeEvent(), makeEvent()];
    for (const event of events) push(queue, event);
    const items = await read(queue, 2);
    expect(items.map((item) => item.id)).toEqual([events[0]!.id, events[1]!.id]);
    expect(JSON.parse(items[0]!.json)).toEqual(events[0]);
    expect(items[0]!.bytes).toBe(new TextEncoder().encode(items[0]!.json).length);
    expect(await read(queue, 10)).toHaveLength(3); // reading does not consume
    await remove(queue, items);
    expect((await read(queue, 10)).map((item) => item.id)).toEqual([events[2]!.id]);
  });

  it('hands a reload (a second queue on the same database) what the first left', async () => {
    const first = setup().queue;
    const event = makeEvent();
    push(first, event);
    await settle(first);
    const second = setup().queue;
    expect((await read(second, 10)).map((item) => item.id)).toEqual([event.id]);
  });

  it('evicts the oldest low-priority events first when over its bound, and counts them', async () => {
    const { queue, drops } = setup({ maxEvents: 10 });
    const low = Array.from({ length: 6 }, () => makeEvent('web-content-clicked', { contentId: 'b' }));
    const essential = Array.from({ length: 6 }, () => makeEvent('purchase', { orderId: 'o' }));
    // The essential events are the oldest: still, low-priority ones go first.
    for (const event of [...essential, ...low]) push(queue, event);
    await settle(queue);
    // 12 > 10: evict down to the bound minus a tenth of it (9), lowest priority and oldest first.
    const [reason, victims] = drops[0]!;
    expect(reason).toBe('queue-full');
    expect(victims.map((item) => item.id)).toEqual(low.slice(0, 3).map((e) => e.id));
    const left = (await read(queue, 100)).map((item) => item.id);
    expect(left).toHaveLength(9);
    for (const event of essential) expect(left).toContain(event.id);
  });

  it('drops expired events on read and says why', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-01T00:00:00Z'));
    const { queue, drops } = setup({ maxAgeMs: 3_600_000 });
    const old = makeEvent();
    push(queue, old);
    await settle(queue);
    vi.setSystemTime(new Date('2026-11-01T02:00:00Z'));
    const fresh = makeEvent();
    push(queue, fresh);
    const items = await read(queue, 10);
    expect(items.map((item) => item.id)).toEqual([fresh.id]);
    expect(drops).toEqual([['expired', [expect.objectContaining({ id: old.id })]]]);
  });

  it('keeps this tab’s unsent events in memory, serialised on demand, for a send on page hide', async () => {
    const { queue } = setup();
    const a = makeEvent();
    const b = makeEvent();
    push(queue, a);
    push(queue, b);
    // Same task: not written yet, still available synchronously.
    const mine = unsent(queue);
    expect(mine.map((item) => item.id)).toEqual([a.id, b.id]);
    expect(JSON.parse(mine[0]!.json)).toEqual(a);
    await remove(queue, [mine[0]!]);
    expect(unsent(queue).map((item) => item.id)).toEqual([b.id]);
  });

  it('falls back to memory when IndexedDB is missing, says so once, and recovers', async () => {
    const factory = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    vi.useFakeTimers({ toFake: ['Date'] });
    const { queue, storage } = setup();
    const events = [makeEvent(), makeEvent()];
    push(queue, events[0]!);
    await settle(queue);
    push(queue, events[1]!);
    await settle(queue);
    expect(storage).toEqual(['memory']);
    expect(queue.mode).toBe('memory');
    expect((await read(queue, 10)).map((item) => item.id)).toEqual(events.map((e) => e.id));

    globalThis.indexedDB = factory;
    vi.setSystemTime(Date.now() + 31_000); // past the retry pause
    const third = makeEvent();
    push(queue, third);
    await settle(queue);
    expect(storage).toEqual(['memory', 'indexeddb']);
    // The memory backlog moved into IndexedDB: a reload sees everything.
    const reloaded = setup().queue;
    expect((await read(reloaded, 10)).map((item) => item.id)).toEqual([...events, third].map((e) => e.id));
  });

  it('falls back to memory when a write fails (quota), losing nothing', async () => {
    const { queue, storage } = setup();
    await size(queue);
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const event = makeEvent();
    push(queue, event);
    await settle(queue);
    expect(storage).toEqual(['memory']);
    expect((await read(queue, 10)).map((item) => item.id)).toEqual([event.id]);
  });

  it('spills events whose write has not landed to localStorage on page hide; the next page restores them', async () => {
    const { queue } = setup();
    await size(queue);
    // The page goes away before the write commits: here, the write fails.
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The transaction was aborted.', 'AbortError');
    });
    const events = [makeEvent(), makeEvent()];
    for (const event of events) push(queue, event);
    spill(queue); // page hide, same task as the track() calls
    await settle(queue);
    vi.restoreAllMocks();
    const keys = Object.keys(localStorage).filter((key) => key.startsWith('test-spill-'));
    expect(keys).toHaveLength(1);

    const next = setup().queue; // the next page
    expect((await read(next, 10)).map((item) => item.id)).toEqual(events.map((e) => e.id));
    expect(Object.keys(localStorage).filter((key) => key.startsWith('test-spill-'))).toEqual([]);
    // Restored into IndexedDB, so durable again.
    expect((await read(setup().queue, 10)).map((item) => item.id)).toEqual(events.map((e) => e.id));
  });

  it('forgets the spill once the write commits, and a stale spill restores nothing twice', async () => {
    const { queue } = setup();
    const event = makeEvent();
    push(queue, event);
    spill(queue);
    const stale = Object.entries(localStorage);
    expect(stale).toHaveLength(1);
    await settle(queue);
    expect(Object.keys(localStorage).filter((key) => key.startsWith('test-spill-'))).toEqual([]);
    // The page died after the commit but before forgetting: the same key is overwritten, not doubled.
    for (const [key, value] of stale) localStorage.setItem(key, value);
    expect((await read(setup().queue, 10)).map((item) => item.id)).toEqual([event.id]);
  });

  it('clears everything on request and returns what it dropped', async () => {
    const { queue } = setup();
    push(queue, makeEvent());
    await settle(queue);
    push(queue, makeEvent());
    const dropped = await clear(queue);
    expect(dropped).toHaveLength(2);
    expect(await size(queue)).toBe(0);
    expect(unsent(queue)).toEqual([]);
  });
});

// The Node SDK (shoptrail/server) against the real collector on a socket, with faults injected
// (503, 429 with Retry-After, 500, stored-then-failed answers, slow answers) and the collector
// killed and restarted mid-stream: every tracked event is stored once — 0 lost, 0 duplicated.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/collector/storage/index';
import { type RunningCollector, startCollector } from '../../src/collector/server';
import { createServerTracker, type ServerTracker, type ServerTrackerError } from '../../src/server/index';
import type { Envelope } from '../../src/schema';
import { freePort } from '../support/postgres';
import { ADMIN_KEY } from './support/app';
import { platformConfig, SERVER_KEY } from './support/platform';
import { sharedDatabase } from './support/sharedDb';

let running: RunningCollector | undefined;
let tracker: ServerTracker | undefined;
afterEach(async () => {
  await tracker?.close({ timeoutMs: 100 });
  await running?.close();
  running = undefined;
});

const start = (port: number, url: string) =>
  startCollector({ config: platformConfig(), port, log: false, faults: true, jobs: false, drainMs: 200, openStorage: () => openStorage(url) });

/** Stage a fault (the route wants an admin key); throws when the collector refuses it. */
const fault = (base: string, spec: unknown) =>
  fetch(`${base}/v1/admin/faults`, { method: 'POST', body: JSON.stringify(spec), headers: { Authorization: `Bearer ${ADMIN_KEY}` } }).then((r) => {
    if (!r.ok) throw new Error(`POST /v1/admin/faults: HTTP ${r.status}`);
    return r.json();
  });

const stored = async (base: string): Promise<Envelope[]> => {
  const response = await fetch(`${base}/v1/events?limit=10000`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
  return ((await response.json()) as { events: Envelope[] }).events;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shoptrail/server against the collector', () => {
  it('lets a Node process send email-sent and a subscription shipment with a server key, stored and billed', async () => {
    running = await start(0, await sharedDatabase());
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/collector/support/sdkProcess.ts', running.url, SERVER_KEY]);
    const { ids, unsent } = JSON.parse(stdout) as { ids: string[]; unsent: number };
    expect(unsent).toBe(0);
    const events = await stored(running.url);
    expect(events.map((e) => [e.id, e.type, e.customerId])).toEqual([
      [ids[0], 'email-sent', 'sub-owner-1'],
      [ids[1], 'custom-event', 'sub-owner-1'],
    ]);
    const usage = (await (await fetch(`${running.url}/v1/usage`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { usage: { used: number } };
    expect(usage.usage.used).toBe(2);
  }, 30_000);

  it('stores every event exactly once through faults, a kill and a restart', async () => {
    const port = await freePort();
    const url = await sharedDatabase();
    running = await start(port, url);
    const base = running.url;
    const errors: ServerTrackerError[] = [];
    tracker = createServerTracker({
      endpoint: base,
      serverKey: SERVER_KEY,
      entity: 'shop',
      flushAt: 25,
      flushIntervalMs: 30,
      backoffMs: 20,
      maxBackoffMs: 200,
      onError: (e) => errors.push(e),
    });
    const ids: string[] = [];
    const track = (n: number, phase: string) => {
      for (let i = 0; i < n; i++) {
        const customerId = `c-${phase}-${i % 7}`;
        const result =
          i % 3 === 0
            ? tracker!.track(
                'custom-event',
                { name: 'created_shippingbox', properties: { subscriptionId: `sub-${i}`, shippingBoxId: `box-${phase}-${i}` } },
                { customerId },
              )
            : tracker!.track('email-sent', { campaign: phase, n: i }, { customerId });
        if (!result.ok) throw new Error(result.message);
        ids.push(result.id);
      }
    };

    track(60, 'calm');
    await tracker.flush();
    await fault(base, { status: 503, retryAfter: 1, count: 2 });
    track(60, 'unavailable');
    await tracker.flush();
    await fault(base, { status: 500, storeThenFail: true, count: 3 }); // stored, then the answer is lost
    track(80, 'lost-answers');
    await tracker.flush();
    // Those batches were stored, then sent again: the collector counted their copies as duplicates.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(Number(/^shoptrail_events_duplicate_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    await fault(base, { status: 429, retryAfter: 1, count: 1 });
    track(40, 'limited');
    await fault(base, { delayMs: 300, count: 2 });
    track(40, 'slow');
    await tracker.flush();

    // Killed mid-stream: what is tracked meanwhile waits in memory and is retried.
    track(50, 'before-kill');
    const flushing = tracker.flush();
    await running.close();
    running = undefined;
    track(50, 'down');
    await sleep(400);
    running = await start(port, url);
    track(50, 'after-restart');
    await flushing;
    await tracker.flush();
    expect(await tracker.close()).toEqual({ unsent: 0 });

    const events = await stored(running.url);
    const storedIds = events.map((e) => e.id);
    expect(new Set(storedIds).size).toBe(storedIds.length); // 0 duplicated
    expect(storedIds.length).toBe(ids.length); // 0 lost
    expect(new Set(storedIds)).toEqual(new Set(ids));
    expect(events.every((e) => (e.context.library.name as string) === 'shoptrail-node' && !e.anonymousId)).toBe(true);
    // Billed once each, however often they were sent.
    const usage = (await (await fetch(`${running.url}/v1/usage`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { usage: { used: number } };
    expect(usage.usage.used).toBe(ids.length);
    expect(errors.filter((e) => e.code !== 'retrying')).toEqual([]);
    expect(errors.some((e) => /HTTP 503|HTTP 500|HTTP 429/.test(e.message))).toBe(true);
    expect(errors.some((e) => /fetch failed/.test(e.message))).toBe(true);
  }, 60_000);

  it('honours Retry-After, bounds its queue, and refuses invalid events before queueing them', async () => {
    running = await start(0, await sharedDatabase());
    const calls: number[] = [];
    const errors: ServerTrackerError[] = [];
    tracker = createServerTracker({
      endpoint: running.url,
      serverKey: SERVER_KEY,
      entity: 'shop',
      flushAt: 1000,
      maxQueue: 3,
      backoffMs: 10,
      fetch: (input, init) => (calls.push(Date.now()), fetch(input, init)),
      onError: (e) => errors.push(e),
    });
    await fault(running.url, { status: 429, retryAfter: 1, count: 1 });
    expect(tracker.track('email-sent', {}, { customerId: 'c-1' }).ok).toBe(true);
    expect(tracker.track('email-opened', {}, { customerId: 'c-1' }).ok).toBe(true);
    // The catalog's schema is checked before queueing: an id that is not a UUID is refused here.
    expect(tracker.track('email-sent', {}, { customerId: 'c-1', id: 'not-a-uuid' })).toMatchObject({ ok: false, code: 'invalid-envelope' });
    expect(tracker.track('purchase', { orderId: 'o-1' } as never, { customerId: 'c-1' })).toMatchObject({ ok: false, code: 'invalid-body' });
    expect(tracker.identify('c-1', { email: 'ana@example.com' }).ok).toBe(true);
    expect(tracker.track('email-sent', {}, { customerId: 'c-2' })).toMatchObject({ ok: false, code: 'queue-full' });
    await tracker.flush();
    expect(calls).toHaveLength(2);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(1000);
    expect((await stored(running.url)).map((e) => e.type)).toEqual(['email-sent', 'email-opened', 'entity-identified']);
    const profile = await fetch(`${running.url}/v1/customers/c-1`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(((await profile.json()) as { profile: { email: string } }).profile.email).toBe('ana@example.com');
    expect(errors.map((e) => e.code)).toEqual(['queue-full', 'retrying']);
  }, 20_000);
});

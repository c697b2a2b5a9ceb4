import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { background, CHUNK_RETRY_MS } from '../../src/lazy';
import { guards } from '../../src/guards';
import { ledger } from '../../src/ledger';
import { loadChunk } from '../../src/lib/chunk';
import type { Core, Plugin } from '../../src/plugin';
import { createTracker } from '../../src/tracker';
import { settle, useFakeClock } from './support/clock';
import { fakeCollector } from './support/collector';

vi.mock('../../src/lib/chunk', () => ({ loadChunk: vi.fn() }));
const load = vi.mocked(loadChunk);

/** A chunk that arrives when `arrive` is called. */
const later = (chunk: { install: Plugin }) => {
  let arrive = () => {};
  load.mockReturnValueOnce(new Promise((resolve) => (arrive = () => resolve(chunk))));
  return () => arrive();
};

beforeEach(() => {
  useFakeClock('2026-11-23T10:00:00Z');
  load.mockReset();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('lazy plugins: the background chunk', () => {
  it('lets the ledger count what happened before its chunk arrived', async () => {
    const collector = fakeCollector();
    vi.stubGlobal('fetch', collector.fetch);
    const arrive = later({ install: ledger });
    const options = { endpoint: 'https://collect.example', writeKey: 'pk_test', gzip: false, flushAt: 1000 };
    const tracker = createTracker(options, [guards, background]);
    await settle();
    expect(tracker.track('search', {})).toMatchObject({ ok: false }); // invalid: no query
    const click = (i: number) => ({ contentId: `block-${i}`, contentType: 'banner' });
    const results = Array.from({ length: 50 }, (_, i) => tracker.track('web-content-clicked', click(i)));
    const dropped = results.filter((r) => !r.ok).length;
    expect(dropped).toBeGreaterThan(0);
    arrive();
    await tracker.flush();
    const usage = await tracker.usage();
    expect(usage.byType?.search).toMatchObject({ rejected: 1 });
    expect(usage.byType?.['web-content-clicked']).toMatchObject({ accepted: 50 - dropped, dropped, pending: 0 });
    expect(usage.drops).toEqual({ 'rate-limit': dropped });
    tracker.shutdown();
    await settle();
  });

  it('asks again for a chunk that did not load: on the next wait, and after CHUNK_RETRY_MS; warns once', async () => {
    const warnings: string[] = [];
    const loads: Array<() => Promise<unknown>> = [];
    const core = {
      on: () => () => {},
      warn: (code: string) => warnings.push(code),
      loading: (fn: () => Promise<unknown>) => (loads.push(fn), () => {}),
    } as unknown as Core;
    load.mockRejectedValue(new Error('404'));
    const uninstall = background(core)!;
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    await loads[0]!(); // flush() or usage() waits for it: a new attempt
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(CHUNK_RETRY_MS);
    expect(load).toHaveBeenCalledTimes(3);
    expect(new Set(warnings)).toEqual(new Set(['background-chunk']));
    const installed = vi.fn(() => () => {});
    load.mockResolvedValue({ install: installed });
    await vi.advanceTimersByTimeAsync(CHUNK_RETRY_MS);
    expect(installed).toHaveBeenCalledTimes(1);
    await loads[0]!(); // loaded: nothing more to ask
    expect(load).toHaveBeenCalledTimes(4);
    uninstall();
  });
});

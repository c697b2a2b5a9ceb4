import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Guard, Plugin } from '../../src/plugin';
import { hook, install } from '../../src/plugin';
import { createTracker } from '../../src/tracker';
import type { Tracker } from '../../src/types';
import { tick } from './support/events';

const trackers: Tracker[] = [];
afterEach(async () => {
  for (const tracker of trackers.splice(0)) tracker.shutdown();
  await tick(5);
});
const start = (plugins: Plugin[]) => {
  const tracker = createTracker({}, plugins);
  trackers.push(tracker);
  return tracker;
};

describe('hook', () => {
  it('adds to a set in order; the undo removes that item only', () => {
    const set = new Set<string>();
    const add = hook(set);
    const undoA = add('a');
    add('b');
    undoA();
    expect([...set]).toEqual(['b']);
  });
});

describe('install', () => {
  it('turns a plugin that throws into an error event after the current script, and an undo that does nothing', async () => {
    const tracker = start([]);
    const errors: string[] = [];
    tracker.on('error', (e) => errors.push(e.message));
    const undo = install(tracker, () => {
      throw new Error('boom');
    });
    expect(errors).toEqual([]);
    await Promise.resolve();
    expect(errors).toEqual(['a module failed to start: boom']);
    expect(() => undo()).not.toThrow();
  });
});

describe('the core plugins get', () => {
  it('runs guards in order after consent, and their undo takes them out', () => {
    const seen: string[] = [];
    const first: Guard = (event) => (seen.push(`first ${event.type}`), undefined);
    const second: Guard = (event) => (seen.push(`second ${event.type}`), event.type === 'search' ? 'test-guard' : undefined);
    let undo = () => {};
    const tracker = start([(core) => core.guard(first), (core) => (undo = core.guard(second))]);
    expect(tracker.track('search', { query: 'x' })).toMatchObject({ ok: false, dropped: 'test-guard' });
    expect(seen).toEqual(['first search', 'second search']);
    undo();
    expect(tracker.track('search', { query: 'y' }).ok).toBe(true);
  });

  it('merges usage sections into usage(), and reports a section that fails without failing usage()', async () => {
    const errors: string[] = [];
    const tracker = start([
      (core) => core.section(async () => ({ drops: { test: 1 } })),
      (core) => core.section(async () => Promise.reject(new Error('section bug'))),
    ]);
    tracker.on('error', (e) => errors.push(e.message));
    const usage = await tracker.usage();
    expect(usage).toMatchObject({ queue: { size: expect.any(Number), storage: 'indexeddb' }, account: null, drops: { test: 1 } });
    expect(errors).toEqual(['usage failed: section bug']);
  });

  it('runs page-hide work after the tracker saved what it must, and flush() waits for parts still loading', async () => {
    const hidden = vi.fn();
    let loaded = false;
    const tracker = start([
      (core) => core.hide(hidden),
      (core) => core.loading(() => new Promise<void>((resolve) => setTimeout(() => resolve(void (loaded = true)), 10))),
    ]);
    window.dispatchEvent(new Event('pagehide'));
    expect(hidden).toHaveBeenCalledTimes(1);
    await tracker.flush();
    expect(loaded).toBe(true);
  });
});

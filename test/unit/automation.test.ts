// src/automation.ts: an automated browser (navigator.webdriver) sends nothing unless the store
// allows it; what was queued before is dropped, what follows is dropped by a guard, warned once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../src/tracker';
import type { DropReason, Tracker } from '../../src/types';
import { fakeCollector } from './support/collector';
import { tick } from './support/events';

let collector: ReturnType<typeof fakeCollector>;
let tracker: Tracker | undefined;

beforeEach(() => {
  collector = fakeCollector();
  vi.stubGlobal('fetch', collector.fetch);
  Object.defineProperty(navigator, 'webdriver', { value: true, configurable: true });
});
afterEach(async () => {
  tracker?.shutdown();
  await tick(5);
  vi.unstubAllGlobals();
});

const start = (allowAutomation?: boolean) => {
  tracker = createTracker({ endpoint: 'https://collect.example', writeKey: 'pk_test', gzip: false, allowAutomation });
  const warnings: string[] = [];
  const drops: DropReason[] = [];
  tracker.on('warning', ({ code }) => warnings.push(code));
  tracker.on('dropped', ({ reason }) => drops.push(reason));
  return { tracker, warnings, drops };
};

describe('automated browsers', () => {
  it('send nothing, drop every event as "automation", and say so once', async () => {
    const { tracker, warnings, drops } = start();
    expect(tracker.track('search', { query: 'tea' })).toMatchObject({ ok: false, dropped: 'automation' });
    tracker.track('search', { query: 'coffee' });
    expect(await tracker.flush()).toEqual({ delivered: 0, remaining: 0 });
    expect(collector.fetch).not.toHaveBeenCalled();
    expect(warnings.filter((code) => code === 'automation')).toHaveLength(1);
    expect(drops.every((reason) => reason === 'automation')).toBe(true);
  });

  it('send as usual with allowAutomation', async () => {
    const { tracker, warnings } = start(true);
    expect(tracker.track('search', { query: 'tea' }).ok).toBe(true);
    await tracker.flush();
    expect(collector.storedOf('search')).toHaveLength(1);
    expect(warnings).not.toContain('automation');
  });
});

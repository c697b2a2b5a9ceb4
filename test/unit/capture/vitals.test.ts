import { describe, expect, it, vi } from 'vitest';
import { install } from '../../../src/capture/vitals';
import { fakeCore, tasks } from '../support/core';

const reporters: Record<string, (metric: unknown) => void> = {};
vi.mock('web-vitals', () => {
  const on = (name: string) => (fn: (metric: unknown) => void) => (reporters[name] = fn);
  return { onLCP: on('LCP'), onINP: on('INP'), onCLS: on('CLS'), onFCP: on('FCP'), onTTFB: on('TTFB') };
});

describe('web vitals', () => {
  it('sends each metric web-vitals reports as a free web-vitals event', async () => {
    const { core, tracked } = fakeCore();
    const uninstall = install(core) as () => void;
    await tasks();
    expect(Object.keys(reporters).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    reporters.LCP!({ name: 'LCP', value: 1234.5, rating: 'good', delta: 1234.5, id: 'v5-1', navigationType: 'navigate' });
    reporters.CLS!({ name: 'CLS', value: 0, rating: 'good', delta: 0, id: 'v5-2', navigationType: 'navigate' });
    uninstall();
    reporters.INP!({ name: 'INP', value: 80, rating: 'good', delta: 80, id: 'v5-3', navigationType: 'navigate' });
    expect(tracked).toEqual([
      { type: 'web-vitals', body: { name: 'LCP', value: 1234.5, rating: 'good', delta: 1234.5, metricId: 'v5-1', navigationType: 'navigate' } },
      { type: 'web-vitals', body: { name: 'CLS', value: 0, rating: 'good', delta: 0, metricId: 'v5-2', navigationType: 'navigate' } },
    ]);
  });
});

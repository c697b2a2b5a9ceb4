import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Action } from '../../../../demo/storefront/client/inspector/state';
import { fakeCollector } from '../../support/collector';
import { tick } from '../../support/events';

type Api = ((...args: unknown[]) => unknown) & { q?: unknown[][]; loaded?: boolean; shutdown?: () => void };
const api = () => (window as unknown as { shoptrail?: Api }).shoptrail;

let collector: ReturnType<typeof fakeCollector>;

beforeEach(() => {
  vi.resetModules();
  collector = fakeCollector();
  vi.stubGlobal('fetch', collector.fetch);
});

afterEach(async () => {
  api()?.shutdown?.();
  await tick(5);
  delete (window as { shoptrail?: unknown }).shoptrail;
  document.head.replaceChildren();
  vi.unstubAllGlobals();
});

describe('inspector connection', () => {
  it('leaves a snippet-style stub before the tracker loads, whose listeners the tracker takes over', async () => {
    const { connect, trackerLoaded } = await import('../../../../demo/storefront/client/inspector/connect');
    const actions: Action[] = [];
    connect((action) => actions.push(action));
    expect(trackerLoaded()).toBe(false);
    expect(api()!.q!.map((args) => (args[0] as unknown[]).slice(0, 2))).toContainEqual(['on', 'queued']);

    const tag = document.createElement('script');
    tag.setAttribute('data-endpoint', 'https://collect.test');
    tag.setAttribute('data-write-key', 'pk_test');
    tag.setAttribute('data-entity', 'demo');
    document.head.append(tag);
    await import('../../../../src/script');
    expect(trackerLoaded()).toBe(true);

    api()!('track', 'search', { query: 'sencha' });
    await api()!('flush');
    await vi.waitFor(() => expect(actions.map((a) => a.kind)).toContain('acked'));
    const kinds = actions.map((a) => a.kind);
    expect(kinds.indexOf('queued')).toBeLessThan(kinds.indexOf('batch'));
    expect(kinds.indexOf('batch')).toBeLessThan(kinds.indexOf('acked'));
    const queued = actions.find((a) => a.kind === 'queued' && a.event.type === 'search');
    expect(queued).toMatchObject({ event: { body: { query: 'sencha' } } });
  });

  it('uses a tracker that is already there instead of replacing it', async () => {
    const existing = vi.fn() as unknown as Api;
    (window as unknown as { shoptrail: Api }).shoptrail = existing;
    const { connect } = await import('../../../../demo/storefront/client/inspector/connect');
    connect(() => {});
    expect(api()).toBe(existing);
    expect((existing as unknown as ReturnType<typeof vi.fn>).mock.calls.map((c) => c.slice(0, 2))).toContainEqual(['on', 'acked']);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METHODS } from '../../src/methods';
import { noopTracker } from '../../src/noop';
import type { Tracker } from '../../src/types';
import { fakeCollector } from './support/collector';
import { tick } from './support/events';

type Api = Tracker & ((method: string, ...args: unknown[]) => unknown) & { q?: unknown[]; loaded?: boolean };
const api = () => (window as unknown as { shoptrail: Api }).shoptrail;

let collector: ReturnType<typeof fakeCollector>;

const addTag = (attributes: Record<string, string>) => {
  const tag = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) tag.setAttribute(name, value);
  document.head.append(tag);
  return tag;
};
const loadSnippet = async () => {
  vi.resetModules();
  await import('../../src/snippet');
};
const loadScript = async () => {
  vi.resetModules();
  await import('../../src/script');
};

beforeEach(() => {
  collector = fakeCollector();
  vi.stubGlobal('fetch', collector.fetch);
});

afterEach(async () => {
  api()?.shutdown?.();
  await tick(5);
  delete (window as { shoptrail?: unknown }).shoptrail;
  document.head.innerHTML = '';
  vi.unstubAllGlobals();
});

describe('snippet', () => {
  it('records calls in order, both forms, and returns promises for flush and usage', async () => {
    await loadSnippet();
    const stub = api();
    stub('track', 'search', { query: 'a' });
    stub.identify('c-1');
    const flushed = stub.flush();
    expect(flushed).toBeInstanceOf(Promise);
    expect(stub.q!.map((call) => (call as unknown[][])[0]![0])).toEqual(['track', 'identify', 'flush']);
  });

  it('has every public method before the script loads, and the script replays each (issue 13: shutdown)', async () => {
    await loadSnippet();
    const stub = api();
    const listener = () => {};
    expect(() => {
      stub.track('search', { query: 'early' });
      stub.identify('c-1');
      stub.page();
      stub.consent('granted');
      stub.on('warning', listener);
      stub.off('warning', listener);
      stub.reset();
      stub.shutdown();
    }).not.toThrow();
    const flushed = stub.flush();
    const usage = stub.usage();
    expect(stub.q!.map((call) => (call as unknown[][])[0]![0])).toEqual([
      'track',
      'identify',
      'page',
      'consent',
      'on',
      'off',
      'reset',
      'shutdown',
      'flush',
      'usage',
    ]);
    addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_test', 'data-gzip': 'off' });
    await loadScript();
    await expect(flushed).resolves.toMatchObject({ delivered: expect.any(Number) });
    await expect(usage).resolves.toMatchObject({ queue: expect.any(Object) });
  });

  it('lists every Tracker method, in one list the snippet, the script and the inspector share', () => {
    expect(METHODS.filter((method) => method !== 'init').sort()).toEqual(Object.keys(noopTracker()).sort());
  });

  it('does not replace an existing shoptrail', async () => {
    const existing = () => {};
    (window as { shoptrail?: unknown }).shoptrail = existing;
    await loadSnippet();
    expect(api()).toBe(existing);
  });
});

describe('script tag', () => {
  it('starts from its data attributes and replays the snippet’s calls in order', async () => {
    addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_test', 'data-entity': 'acme', 'data-gzip': 'off' });
    await loadSnippet();
    const stub = api();
    stub('track', 'search', { query: 'before identify' });
    stub('identify', 'c-7');
    stub.track('search', { query: 'after identify' });
    const flushed = stub.flush();
    await loadScript();
    expect(api()).not.toBe(stub);
    expect(api().loaded).toBe(true);
    await expect(flushed).resolves.toMatchObject({ remaining: 0 });
    const searches = collector.storedOf('search');
    expect(searches.map((e) => [e.body.query, e.customerId, e.entity])).toEqual([
      ['before identify', undefined, 'acme'],
      ['after identify', 'c-7', 'acme'],
    ]);
    expect(collector.sent[0]!.body.writeKey).toBe('pk_test');
  });

  it('applies the cost guards to the calls it replays: a reloaded confirmation page bills its order once', async () => {
    const order = { orderId: 'o-replayed', value: 30, currency: 'EUR', items: [] };
    const confirmationPage = async () => {
      addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_test', 'data-gzip': 'off' });
      await loadSnippet();
      api()('track', 'purchase', order); // recorded before the script loads
      await loadScript();
      await api().flush();
    };
    await confirmationPage();
    api().shutdown();
    delete (window as { shoptrail?: unknown }).shoptrail;
    document.head.innerHTML = '';
    await confirmationPage(); // the shopper reloads it
    expect(collector.storedOf('purchase').map((e) => e.body.orderId)).toEqual(['o-replayed']);
    localStorage.clear();
  });

  it('waits for init when the tag carries no endpoint, keeping calls made before it', async () => {
    addTag({ src: '/shoptrail.js' });
    await loadSnippet();
    api().track('search', { query: 'early' });
    await loadScript();
    api().track('search', { query: 'before init' });
    api()('init', { endpoint: 'https://collect.example', writeKey: 'pk_init', gzip: false });
    await api().flush();
    expect(collector.storedOf('search').map((e) => e.body.query)).toEqual(['early', 'before init']);
    expect(collector.sent[0]!.body.writeKey).toBe('pk_init');
  });

  it('lets an init call among the recorded ones win over the tag alone', async () => {
    addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_tag' });
    await loadSnippet();
    api()('init', { entity: 'from-init', gzip: false });
    api().track('search', { query: 'x' });
    await loadScript();
    await api().flush();
    const [event] = collector.storedOf('search');
    expect(event!.entity).toBe('from-init');
    expect(collector.sent[0]!.body.writeKey).toBe('pk_tag');
  });

  it('works without the snippet, callable both ways, returning results', async () => {
    addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_test' });
    await loadScript();
    expect(api()('track', 'search', { query: 'x' })).toMatchObject({ ok: true });
    expect(api().track('search', {})).toMatchObject({ ok: false, error: { code: 'invalid-body' } });
  });

  it('lends its chunks what they would otherwise carry a copy of (src/lib/lent.ts), before any loads', async () => {
    addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_test' });
    const { lent } = await import('../../src/lib/lent');
    await loadScript();
    const lib = (window as unknown as { shoptrail_lib: Record<string, unknown> }).shoptrail_lib;
    expect(Object.keys(lib)).toEqual(Object.keys(lent));
    for (const [name, fn] of Object.entries(lib)) expect(typeof fn, name).toBe('function');
    delete (window as { shoptrail_lib?: unknown }).shoptrail_lib;
  });

  it('ignores a second copy of the script on the page', async () => {
    addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_test' });
    await loadScript();
    const first = api();
    await loadScript();
    expect(api()).toBe(first);
  });

  it('reports unknown calls and garbage without throwing', async () => {
    addTag({ src: '/shoptrail.js', 'data-endpoint': 'https://collect.example', 'data-write-key': 'pk_test' });
    await loadScript();
    const errors: string[] = [];
    api().on('error', ({ message }) => errors.push(message));
    expect(() => api()('explode', 1, 2)).not.toThrow();
    expect(() => api()(undefined as never)).not.toThrow();
    expect(() => api()('init', {})).not.toThrow();
    expect(errors).toEqual(['unknown call "explode"', 'unknown call "undefined"', 'init after start: ignored']);
  });
});

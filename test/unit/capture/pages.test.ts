import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install } from '../../../src/capture/pages';
import { at, fakeCore, tasks } from '../support/core';

describe('page visits', () => {
  let uninstall: () => void;
  beforeEach(() => at('https://shop.example/'));
  afterEach(() => uninstall?.());

  it('counts the load once, and each navigation to a new URL once', async () => {
    const { core, of } = fakeCore();
    uninstall = install(core) as () => void;
    history.replaceState({}, '', '/'); // hydration: same URL
    window.dispatchEvent(new PopStateEvent('popstate')); // old browsers at load
    await tasks();
    expect(of('web-page-visited')).toHaveLength(1);
    history.pushState({}, '', '/collections/shoes');
    history.pushState({}, '', '/collections/shoes'); // same URL twice
    await tasks();
    history.replaceState({}, '', '/products/red-shoe');
    await tasks();
    expect(of('web-page-visited').map((t) => [t.body.url, t.body.referrer])).toEqual([
      ['https://shop.example/', ''],
      ['https://shop.example/collections/shoes', 'https://shop.example/'],
      ['https://shop.example/products/red-shoe', 'https://shop.example/collections/shoes'],
    ]);
    at('https://shop.example/collections/shoes'); // the browser's back button
    window.dispatchEvent(new PopStateEvent('popstate'));
    window.dispatchEvent(new PopStateEvent('popstate'));
    await tasks();
    expect(of('web-page-visited')).toHaveLength(4);
  });

  it('counts hash routes but not anchors, unless captureHash', async () => {
    const { core, of } = fakeCore();
    uninstall = install(core) as () => void;
    location.hash = '#reviews';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await tasks();
    expect(of('web-page-visited')).toHaveLength(1);
    location.hash = '#/cart';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await tasks();
    expect(of('web-page-visited')).toHaveLength(2);
    uninstall();
    const all = fakeCore({ captureHash: true });
    uninstall = install(all.core) as () => void;
    location.hash = '#details';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await tasks();
    expect(all.of('web-page-visited')).toHaveLength(2);
  });

  it('stops counting and restores history when uninstalled', async () => {
    const push = history.pushState;
    const { core, of } = fakeCore();
    uninstall = install(core) as () => void;
    expect(history.pushState).not.toBe(push);
    await tasks(); // the load's visit
    uninstall();
    expect(history.pushState).toBe(push);
    history.pushState({}, '', '/elsewhere');
    await tasks();
    expect(of('web-page-visited')).toHaveLength(1);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { install } from '../../../src/capture/content';
import { at, fakeCore, tasks } from '../support/core';

// happy-dom has no layout: drive the IntersectionObserver by hand.
let report: (entries: Partial<IntersectionObserverEntry>[]) => void = () => {};
const observed: Element[] = [];
vi.stubGlobal(
  'IntersectionObserver',
  class {
    constructor(fn: (entries: unknown[]) => void) {
      report = (entries) => fn(entries);
    }
    observe(el: Element) {
      observed.push(el);
    }
    disconnect() {}
  },
);

describe('content blocks', () => {
  let uninstall: () => void;
  beforeEach(() => {
    at('https://s.example/');
    observed.length = 0;
    document.body.innerHTML = `<section data-shoptrail-content="hero-1" data-shoptrail-content-type="banner" data-shoptrail-content-name="Winter sale">
      <a href="/collections/winter">Shop <b>winter</b> now</a><p>Call 4111 1111 1111 1111</p></section>`;
  });
  afterEach(() => {
    uninstall?.();
    vi.useRealTimers();
  });

  it('counts a block opened after a second at half visibility, once per page view', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { core, tracked } = fakeCore();
    uninstall = install(core) as () => void;
    const block = document.querySelector('section')!;
    expect(observed).toEqual([block]);
    report([{ target: block, isIntersecting: true, intersectionRatio: 0.6 }]);
    vi.advanceTimersByTime(900);
    report([{ target: block, isIntersecting: false, intersectionRatio: 0.1 }]); // scrolled away too soon
    vi.advanceTimersByTime(2000);
    expect(tracked).toEqual([]);
    report([{ target: block, isIntersecting: true, intersectionRatio: 1 }]);
    vi.advanceTimersByTime(1000);
    report([{ target: block, isIntersecting: true, intersectionRatio: 1 }]);
    vi.advanceTimersByTime(1000);
    expect(tracked).toEqual([{ type: 'web-content-opened', body: { contentId: 'hero-1', contentType: 'banner', name: 'Winter sale' } }]);
  });

  it('watches blocks added later', async () => {
    const { core } = fakeCore();
    uninstall = install(core) as () => void;
    document.body.insertAdjacentHTML('beforeend', '<div data-shoptrail-content="reco-2"></div>');
    await tasks();
    expect(observed.map((el) => el.getAttribute('data-shoptrail-content'))).toEqual(['hero-1', 'reco-2']);
  });

  it('counts clicks inside a block with a short label and the link', async () => {
    const { core, tracked } = fakeCore();
    uninstall = install(core) as () => void;
    (document.querySelector('b') as HTMLElement).click();
    (document.querySelector('p') as HTMLElement).click();
    await tasks();
    expect(tracked).toEqual([
      {
        type: 'web-content-clicked',
        body: { contentId: 'hero-1', contentType: 'banner', name: 'Winter sale', label: 'Shop winter now', url: 'https://s.example/collections/winter' },
      },
      { type: 'web-content-clicked', body: { contentId: 'hero-1', contentType: 'banner', name: 'Winter sale', label: 'Call' } },
    ]);
  });
});

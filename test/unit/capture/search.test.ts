import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install } from '../../../src/capture/search';
import { searchOf } from '../../../src/lib/forms';
import { at, fakeCore, tasks } from '../support/core';

const kind = (url: string) => searchOf(new URL(url));

describe('search URLs of the platforms', () => {
  it('knows product searches and site searches', () => {
    expect(kind('https://s.example/search?q=red+shoes')).toEqual(['product-searched', 'red shoes']);
    expect(kind('https://s.example/search?q=care&type=article')).toEqual(['search', 'care']);
    expect(kind('https://s.example/?s=mug&post_type=product')).toEqual(['product-searched', 'mug']);
    expect(kind('https://s.example/?s=returns')).toEqual(['search', 'returns']);
    expect(kind('https://s.example/catalogsearch/result/?q=bag')).toEqual(['product-searched', 'bag']);
    expect(kind('https://s.example/index.php?controller=search&s=hat')).toEqual(['product-searched', 'hat']);
    expect(kind('https://s.example/en/search?s=hat')).toEqual(['product-searched', 'hat']);
    expect(kind('https://s.example/search.php?search_query=lamp')).toEqual(['product-searched', 'lamp']);
    expect(kind('https://s.example/products/x?q=1')).toBeUndefined();
    expect(kind('https://s.example/search?q=')).toBeUndefined();
  });
});

describe('search capture', () => {
  let uninstall: () => void;
  beforeEach(() => {
    (window as any).dataLayer = [];
    sessionStorage.clear();
    document.body.innerHTML = '';
  });
  afterEach(() => uninstall?.());

  it('counts the results page on landing once, even with a GA4 search push for it', async () => {
    at('https://s.example/search?q=red+shoes');
    (window as any).dataLayer.push({ event: 'search', search_term: 'red shoes' });
    const { core, tracked } = fakeCore();
    uninstall = install(core) as () => void;
    await tasks();
    expect(tracked).toEqual([{ type: 'product-searched', body: { query: 'red shoes' } }]);
  });

  it('counts a submitted search form once, and not again on the results page it leads to', async () => {
    at('https://s.example/');
    document.body.innerHTML = `<form action="/search" method="get" role="search"><input type="search" name="q" value="blue mug"></form>`;
    const first = fakeCore();
    uninstall = install(first.core) as () => void;
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await tasks();
    expect(first.tracked).toEqual([{ type: 'product-searched', body: { query: 'blue mug' } }]);
    uninstall();
    at('https://s.example/search?q=blue+mug'); // the results page
    const second = fakeCore();
    uninstall = install(second.core) as () => void;
    await tasks();
    expect(second.tracked).toEqual([]);
  });

  it('sends a WordPress site search as search, never both kinds', async () => {
    at('https://blog.example/?s=opening+hours');
    const { core, tracked } = fakeCore();
    uninstall = install(core) as () => void;
    await tasks();
    expect(tracked.map((t) => t.type)).toEqual(['search']);
  });

  it('counts GA4 search events and scrubs card numbers out of queries', async () => {
    at('https://s.example/');
    const { core, tracked } = fakeCore();
    uninstall = install(core) as () => void;
    (window as any).dataLayer.push({ event: 'search', search_term: 'gift 4111 1111 1111 1111' });
    await tasks();
    expect(tracked).toEqual([{ type: 'product-searched', body: { query: 'gift' } }]);
  });
});

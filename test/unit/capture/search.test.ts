import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
    expect(kind('https://s.example/search.html?q=kettle')).toEqual(['product-searched', 'kettle']);
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
  afterEach(() => {
    uninstall?.();
    vi.restoreAllMocks();
  });

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

  /** One page of the tab: the module installed at `url`, a dataLayer as the page left it. */
  const pageAt = (url: string, layer: unknown[] = []) => {
    uninstall?.();
    at(url);
    (window as any).dataLayer = layer;
    const fake = fakeCore();
    uninstall = install(fake.core) as () => void;
    return fake;
  };
  const submitIn = (html: string, prevent = false) => {
    document.body.innerHTML = html;
    const form = document.querySelector('form')!;
    if (prevent) form.addEventListener('submit', (e) => e.preventDefault());
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  };

  it('counts once a submit whose results URL is not its action, with a GA4 push on the results page', async () => {
    // the form posts to /recherche, which redirects to a results route no convention names
    const home = pageAt('https://s.example/');
    submitIn(`<form action="/recherche" data-shoptrail-form="search"><input name="search_query" value="Red  Shoes"></form>`);
    await tasks();
    const results = pageAt('https://s.example/fr/resultats?search_query=red+shoes', [{ event: 'search', search_term: 'red shoes' }]);
    await tasks();
    expect([...home.tracked, ...results.tracked]).toEqual([{ type: 'product-searched', body: { query: 'Red Shoes' } }]);
  });

  it('counts once the demo-style header search: action /search.html, results page pushing GA4 search', async () => {
    const home = pageAt('https://s.example/');
    submitIn(`<form role="search" action="/search.html"><input type="search" name="q" value="kettle"></form>`);
    await tasks();
    const results = pageAt('https://s.example/search.html?q=kettle', [{ event: 'search', search_term: 'kettle' }]);
    await tasks();
    expect([...home.tracked, ...results.tracked]).toEqual([{ type: 'product-searched', body: { query: 'kettle' } }]);
  });

  it('counts once a search handled by script: prevented submit, GA4 push, results drawn in place', async () => {
    const { tracked } = pageAt('https://s.example/');
    submitIn(`<form role="search" action="/search"><input type="search" name="q" value="linen"></form>`, true);
    (window as any).dataLayer.push({ event: 'search', search_term: 'linen' });
    await tasks();
    expect(tracked).toEqual([{ type: 'product-searched', body: { query: 'linen' } }]);
  });

  it('counts a results page reached directly once, not again on reload', async () => {
    const first = pageAt('https://s.example/search.html?q=tea', [{ event: 'search', search_term: 'tea' }]);
    await tasks();
    expect(first.tracked).toEqual([{ type: 'product-searched', body: { query: 'tea' } }]);
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ type: 'reload' } as any]);
    const reloaded = pageAt('https://s.example/search.html?q=tea');
    await tasks();
    expect(reloaded.tracked).toEqual([]);
  });

  it('counts the same search again when the shopper repeats it later, and a new query at once', async () => {
    const now = Date.now();
    const first = pageAt('https://s.example/search?q=tea');
    await tasks();
    const other = pageAt('https://s.example/search?q=coffee');
    await tasks();
    vi.spyOn(Date, 'now').mockReturnValue(now + 60_000);
    const later = pageAt('https://s.example/search?q=coffee');
    await tasks();
    expect([...first.tracked, ...other.tracked, ...later.tracked].map((t) => t.body.query)).toEqual(['tea', 'coffee', 'coffee']);
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

import { beforeEach, describe, expect, it } from 'vitest';
import { onDataLayer } from '../../../src/lib/dataLayer';
import { tasks } from '../support/core';

describe('GA4 dataLayer observer', () => {
  beforeEach(() => ((window as any).dataLayer = undefined));

  it('replays pushes made before it, sees later ones, in order, for every listener', async () => {
    (window as any).dataLayer = [{ event: 'gtm.js' }, { event: 'view_item', ecommerce: { items: [{ item_id: 'A' }] } }, { foo: 1 }];
    const a: string[] = [];
    const b: string[] = [];
    const stop = onDataLayer((name, data) => a.push(`${name}:${data.items?.[0]?.item_id ?? ''}`));
    onDataLayer((name) => b.push(name));
    const layer = (window as any).dataLayer;
    expect(layer.push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'B' }] } })).toBe(4); // push still returns the length
    // gtag('event', …) pushes its arguments object
    (function (..._args: unknown[]) {
      layer.push(arguments);
    })('event', 'search', { search_term: 'shoes' });
    await tasks();
    expect(a).toEqual(['gtm.js:', 'view_item:A', 'add_to_cart:B', 'search:']);
    expect(b).toEqual(['gtm.js', 'view_item', 'add_to_cart', 'search']);
    stop();
    layer.push({ event: 'purchase' });
    await tasks();
    expect(a).toHaveLength(4);
    expect(layer).toHaveLength(6);
  });

  it('takes a burst of 200 pushes without blocking the pusher', async () => {
    const seen: string[] = [];
    onDataLayer((name) => seen.push(name));
    const started = performance.now();
    for (let i = 0; i < 200; i++) (window as any).dataLayer.push({ event: 'add_to_cart', n: i });
    expect(performance.now() - started).toBeLessThan(50);
    expect(seen).toEqual([]); // nothing ran inside the pushes
    await tasks(10);
    expect(seen).toHaveLength(200);
  });

  it('creates the dataLayer when the store has none', () => {
    onDataLayer(() => {});
    expect(Array.isArray((window as any).dataLayer)).toBe(true);
  });
});

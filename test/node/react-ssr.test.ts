// Server rendering with React (issue 17 item 3): a component that creates a tracker and tracks
// while it renders, rendered to a string by react-dom/server in plain Node, renders and throws nothing.
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';

const ENTRY = join(import.meta.dirname, '..', '..', 'dist', 'shoptrail.mjs');
const { createTracker } = (await import(ENTRY)) as typeof import('../../src/index');
const results: unknown[] = [];

const Product = ({ sku }: { sku: string }) => {
  const tracker = createTracker({ endpoint: 'https://collect.example.com', writeKey: 'pk_test' });
  results.push(tracker.track('product-visited', { productId: sku, name: 'Kettle' }));
  tracker.page();
  return createElement('h1', null, `Product ${sku}`);
};

it('a component that tracks renders on the server', () => {
  const html = renderToString(createElement(Product, { sku: 'K-1' }));
  expect(html).toBe('<h1>Product K-1</h1>');
  expect(results).toEqual([{ ok: false, id: '', dropped: 'no-browser' }]);
});

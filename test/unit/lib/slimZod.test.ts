// The script tag's zod/mini (src/lib/slimZod.ts) against zod/mini itself: the catalog built with
// either must accept, strip, refuse and describe every body alike (dist/shoptrail.js is built
// with the first, the npm entry and the collector with the second).
import { describe, expect, it, vi } from 'vitest';
import { invalid, valid } from '../support/bodies';

const long = (n: number, unit = 'a') => unit.repeat(n);

/** Bodies beside the catalog tests' own: wrong kinds, bounds just in and just out, odd numbers. */
const odd: unknown[] = [
  undefined,
  null,
  'text',
  42,
  [],
  { productId: '' },
  { productId: long(200), name: long(500) },
  { productId: long(201), name: long(501) },
  { productId: long(200, '😀'), name: long(501, '😀') },
  { productId: 'p', price: 1e12, quantity: 100000 },
  { productId: 'p', price: 1e12 + 1, quantity: 100001 },
  { productId: 'p', quantity: 0.5, price: -0.5, currency: 'eur' },
  { productId: 'p', quantity: 3.0000000000000004 },
  { productId: 'p', quantity: Number.NaN, price: Number.POSITIVE_INFINITY },
  { productId: 'p', quantity: '2', price: '1' },
  { orderId: 'o', value: 1, currency: 'EUR', items: Array.from({ length: 501 }, (_, i) => ({ productId: `p${i}` })) },
  { orderId: 'o', value: 1, currency: 'EUR', items: [{ productId: 'p', quantity: 1.5, price: 'x' }, null] },
  { fields: Array.from({ length: 201 }, (_, i) => `f${i}`), values: { a: long(501), b: 3 } },
  { query: 'q', resultCount: -1 },
  { url: 'https://example.org/', outbound: 'yes', label: long(101) },
  { customerId: 'c', traits: { email: 'not-an-email', subscriptions: { news: 'yes' }, attributes: [] } },
  { name: 'ok', properties: { nested: { deep: [1, 'two', null] } }, extra: 1 },
  { name: 'INP', value: -1, rating: 'great', delta: 'x' },
  { code: '', count: 1.25 },
  Object.assign(Object.create(null), { productId: 'p' }),
  JSON.parse('{"__proto__": {"polluted": true}, "productId": "p"}'),
];

/** What the catalog makes of each body under each type, with zod/mini as it is or as the script tag builds it. */
const outcomes = async (slim: boolean) => {
  vi.resetModules();
  if (slim) vi.doMock('zod/mini', () => import('../../../src/lib/slimZod'));
  else vi.doUnmock('zod/mini');
  const { catalog } = await import('../../../src/catalog');
  const { validateBody } = await import('../../../src/validate');
  const bodies = [...Object.values(valid), ...invalid.map(([, body]) => body), ...odd];
  const made = catalog.purchase.body as unknown as Record<string, unknown> & { _zod: { traits: Set<string> } };
  const results = Object.entries(catalog).flatMap(([type, entry]) =>
    bodies.map((body) => {
      const parsed = entry.body.safeParse(body);
      const result = parsed.success ? { data: parsed.data } : { issues: parsed.error.issues };
      return JSON.stringify([type, body, result, validateBody(type, entry, body)]);
    }),
  );
  return { results, zodObject: made._zod.traits.has('$ZodObject'), parseAsync: typeof made.parseAsync };
};

describe('slimZod', () => {
  it('validates every catalog body as zod/mini does, issues included', async () => {
    const mini = await outcomes(false);
    const slim = await outcomes(true);
    // the same zod core schemas, without the methods the script tag never calls
    expect([mini.zodObject, mini.parseAsync, slim.zodObject, slim.parseAsync]).toEqual([true, 'function', true, 'undefined']);
    expect(mini.results.filter((outcome) => outcome.includes('"issues"')).length).toBeGreaterThan(100);
    expect(slim.results).toEqual(mini.results);
    vi.doUnmock('zod/mini');
  });
});

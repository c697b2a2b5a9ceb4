// src/lib/zod.ts stands in for zod/mini: the same schemas, built once with each, must agree on
// every input — success, parsed output and issues (code, path, message and details).
import * as real from 'zod/mini';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../src/lib/zod';

real.config({ jitless: true });

// The constructs Shoptrail's schemas use (src/schemas/*, src/catalog.ts, src/lifecycle.ts).
// `any`: one builder for two libraries with the same call shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const build = (z: any) => {
  const text = (max: number) => z.string().check(z.maxLength(max));
  const label = (max = 200) => z.string().check(z.minLength(1), z.maxLength(max));
  const integer = (min: number, max: number) => z.number().check(z.multipleOf(1), z.gte(min), z.lte(max));
  const money = z.number().check(z.nonnegative(), z.lte(1e12));
  const currency = z.string().check(z.regex(/^[A-Z]{3}$/));
  const email = z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'invalid email'));
  const item = z.object({ productId: label(), quantity: z.optional(integer(1, 100000)), price: z.optional(money), currency: z.optional(currency) });
  return {
    text: text(5),
    label: label(3),
    integer: integer(0, 10),
    money,
    email,
    boolean: z.boolean(),
    unknownField: z.object({ body: z.unknown() }),
    item,
    items: z.array(item).check(z.maxLength(2)),
    names: z.array(text(3)).check(z.minLength(1), z.maxLength(2)),
    loose: z.looseObject({ email: z.optional(email) }),
    flags: z.catchall(z.object({}), z.boolean()),
    values: z.record(text(3), text(5)),
    months: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    mixed: z.union([z.string().check(z.maxLength(2)), z.number()]),
    version: z.literal(1),
    uuid: z.uuid(),
    datetime: z.iso.datetime(),
    nested: z.object({ page: z.object({ url: text(10), referrer: z.optional(text(10)) }), tags: z.optional(z.array(label(4))) }),
  };
};

const inputs: unknown[] = [
  undefined, null, true, false, 0, 1, 2, 3, -1, 1.5, 3.0000000000000004, 1e13, NaN, Infinity, -Infinity, '', 'a', 'abc',
  'abcdef', 'ABC', 'EUR', 'a@b.co', 'not an email', '😀😀😀', '😀😀😀😀😀😀', [], [1], ['a', 'b'], ['abcd'], ['a', 'b', 'c'],
  {}, { productId: 'p1' }, { productId: '', quantity: 0, price: -1, currency: 'eur' }, { productId: 'p', quantity: 2.5, extra: 1 },
  [{ productId: 'p' }, { productId: 7 }, {}], { body: 1 }, { body: undefined }, { email: 'x', other: [1] }, { email: undefined },
  { a: true, b: 'no' }, { abcd: 'x', ok: 'abcdefg', fine: 'y' }, { page: { url: 'https://a.example/long' }, tags: ['', 'abcde'] },
  { page: {} }, { page: null }, 'a8098c1a-f86e-11da-bd1a-00112444be1e', '00000000-0000-0000-0000-000000000000',
  'a8098c1a-f86e-01da-bd1a-00112444be1e', '2026-11-23T10:00:00.000Z', '2026-02-29T10:00:00Z', '2026-11-23T10:00Z',
  Object.assign(Object.create(null), { ab: 'c' }), new Date(0), { ['__proto__']: { x: 1 } },
];

const parse = (schema: { safeParse: (v: unknown) => unknown }, value: unknown) => {
  const result = schema.safeParse(value) as { success: boolean; data?: unknown; error?: { issues: unknown[] } };
  return result.success ? { success: true, data: result.data } : { success: false, issues: JSON.parse(JSON.stringify(result.error?.issues)) };
};

describe('lib/zod agrees with zod/mini', () => {
  const mine = build(kit);
  const theirs = build(real);
  for (const name of Object.keys(mine)) {
    it(name, () => {
      for (const value of inputs) {
        expect(parse(mine[name as keyof typeof mine], value), `${name} ← ${String(JSON.stringify(value))}`).toEqual(
          parse(theirs[name as keyof typeof theirs], value),
        );
      }
    });
  }

  it('keeps a present undefined key and drops an absent one, as zod', () => {
    const schema = kit.object({ a: kit.optional(kit.string()) });
    expect(Object.keys((schema.safeParse({ a: undefined }) as { data: object }).data)).toEqual(['a']);
    expect(Object.keys((schema.safeParse({}) as { data: object }).data)).toEqual([]);
  });
});

// Field shapes shared by the body schemas. Bounds are generous for real stores and tight
// enough that a runaway value cannot blow a 64 KiB batch on its own.
import * as z from '../lib/zod';

export const text = (max: number) => z.string().check(z.maxLength(max));
export const label = (max = 200) => z.string().check(z.minLength(1), z.maxLength(max));

/** A store's identifier for a product, variant, order, cart or content block. */
export const id = label(200);
export const optionalId = z.optional(id);
export const url = z.optional(text(2048));
/** Non-negative as `z.gte(0)`: all `z.nonnegative()` does, without its wrapper in the bundle. */
export const money = z.number().check(z.gte(0), z.lte(1e12));
/** ISO 4217 code, upper case ("EUR"). */
export const currency = z.string().check(z.regex(/^[A-Z]{3}$/));
/**
 * A whole number in [min, max]. Whole as `z.multipleOf(1)` judges it (within its float tolerance)
 * and reported with the same issue, by a check of our own: zod's carries bigint and step
 * arithmetic the bundle has no use for (-110 B gzip), and `z.int()` costs more still.
 */
export const integer = (min: number, max: number) =>
  z.number().check(
    (payload) => {
      const value = payload.value;
      if (Math.abs(value - Math.round(value)) >= 4 * Number.EPSILON * Math.max(Math.abs(value), 1))
        payload.issues.push({ origin: 'number', code: 'not_multiple_of', divisor: 1, input: value, continue: true });
    },
    z.gte(min),
    z.lte(max),
  );
export const quantity = integer(1, 100000);
/** A plain shape check (as browsers' type=email does); `z.email()` would add bundle weight for little more. */
export const email = z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'invalid email'));
/** One of a few fixed words; a regex is cheaper in the bundle than `z.enum`. */
export const oneOf = (...words: string[]) => z.string().check(z.regex(new RegExp(`^(${words.join('|')})$`), `expected one of ${words.join(', ')}`));
/**
 * Free properties: an object with values of any JSON type (a loose object costs less than `z.record`).
 * Loose objects are written `z.catchall(…, z.unknown())`, which is what `z.looseObject` builds, from
 * parts the bundle has anyway.
 */
export const properties = z.catchall(z.object({}), z.unknown());

/** A line of a cart or an order. */
export const lineItem = z.object({
  productId: id,
  variantId: optionalId,
  sku: optionalId,
  name: z.optional(text(500)),
  quantity: z.optional(quantity),
  price: z.optional(money),
  currency: z.optional(currency),
  category: z.optional(text(500)),
  brand: z.optional(text(200)),
});

// Field shapes shared by the body schemas. Bounds are generous for real stores and tight
// enough that a runaway value cannot blow a 64 KiB batch on its own.
import * as z from '../lib/zod';

export const text = (max: number) => z.string().check(z.maxLength(max));
export const label = (max = 200) => z.string().check(z.minLength(1), z.maxLength(max));

/** A store's identifier for a product, variant, order, cart or content block. */
export const id = label(200);
export const optionalId = z.optional(id);
export const url = z.optional(text(2048));
export const money = z.number().check(z.nonnegative(), z.lte(1e12));
/** ISO 4217 code, upper case ("EUR"). */
export const currency = z.string().check(z.regex(/^[A-Z]{3}$/));
export const quantity = z.int().check(z.gte(1), z.lte(100000));
export const email = z.email().check(z.maxLength(254));
/** JSON-ish free properties: string keys, values of any JSON type. */
export const properties = z.record(text(100), z.unknown());

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

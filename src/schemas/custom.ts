// Named custom events: `track('custom-event', { name, properties })` checks `properties`
// against the schema registered for `name`, when there is one. Built-in names ship here so
// the collector validates them with the very same schemas; stores may add their own.
import type * as z from '../lib/zod';

const registry = new Map<string, z.Parser>();

/** Register (or replace) the schema of a named custom event's `properties` (a Shoptrail or a zod schema). */
export const defineCustomEvent = (name: string, schema: z.Parser): void => {
  registry.set(name, schema);
};

/** The schema registered for a custom event name, if any. */
export const customSchema = (name: string): z.Parser | undefined => registry.get(name);

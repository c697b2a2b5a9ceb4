// Named custom events: `track('custom-event', { name, properties })` checks `properties`
// against the schema registered for `name`, when there is one. Built-in names ship here so
// the collector validates them with the very same schemas; stores may add their own.
import type * as z from '../lib/zod';

const registry = new Map<string, z.ZodMiniType>();

/** Register (or replace) the schema of a named custom event's `properties`. */
export const defineCustomEvent = (name: string, schema: z.ZodMiniType): void => {
  registry.set(name, schema);
};

/** The schema registered for a custom event name, if any. */
export const customSchema = (name: string): z.ZodMiniType | undefined => registry.get(name);

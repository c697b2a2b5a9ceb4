// Validation shared by the tracker and the collector: the type must be one the caller may
// emit, and the body must match its catalog schema. Errors are values with clear messages.
import { type CatalogEntry, lookup } from './catalog';
import { utf8Length } from './lib/utf8';
import { MAX_BODY_BYTES, MAX_BODY_DEPTH } from './protocol';
import { customSchema } from './schemas/custom';
import type * as z from './lib/zod';

/** Defined (true) in the script-tag build only. */
declare const __SCRIPT_TAG__: boolean | undefined;

export type InvalidCode = 'unknown-type' | 'platform-only' | 'invalid-body' | 'invalid-envelope' | 'too-large' | 'too-deep';

export interface Invalid {
  ok: false;
  code: InvalidCode;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | Invalid;

export const invalid = (code: InvalidCode, message: string): Invalid => ({ ok: false, code, message });

type Issue = z.core.$ZodIssue;

const describe = (issue: Issue): string => {
  const i = issue as Issue & { expected?: string; format?: string; minimum?: unknown; maximum?: unknown; values?: unknown[]; keys?: string[] };
  // Literals, enums and strict objects come only from the collector's envelope schema and stores'
  // own custom schemas: the script tag's catalog has none (fields.ts `oneOf` is a regex).
  if (typeof __SCRIPT_TAG__ == 'undefined') {
    if (i.code === 'invalid_value') return `expected one of ${(i.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    if (i.code === 'unrecognized_keys') return `unknown keys ${(i.keys ?? []).join(', ')}`;
  }
  switch (i.code) {
    case 'invalid_type':
      return `expected ${i.expected}`;
    case 'too_small':
      return `must be at least ${i.minimum}${i.origin === 'string' ? ' characters' : i.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `must be at most ${i.maximum}${i.origin === 'string' ? ' characters' : i.origin === 'array' ? ' items' : ''}`;
    case 'not_multiple_of':
      return 'must be a whole number';
    case 'invalid_format':
      if (i.message && i.message !== 'Invalid input') return i.message; // the schema's own words
      return `invalid ${i.format === 'regex' ? 'format' : i.format}`;
    default:
      return i.message && i.message !== 'Invalid input' ? i.message : 'invalid value';
  }
};

/** "body.items[0].price: expected number; body.currency: invalid format" */
export const formatIssues = (root: string, issues: readonly Issue[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`), root);
      return `${path}: ${describe(issue)}`;
    })
    .join('; ') + (issues.length > 5 ? ` (and ${issues.length - 5} more)` : '');

/** The catalog entry of a type the browser may emit, or why it may not. */
export const browserType = (type: unknown): Checked<CatalogEntry> => {
  if (typeof type !== 'string') return invalid('unknown-type', `event type must be a string, got ${typeof type}`);
  const entry = lookup(type);
  if (!entry) return invalid('unknown-type', `unknown event type "${type.slice(0, 100)}"`);
  if (entry.origin === 'platform') {
    return invalid('platform-only', `"${type}" is emitted by the platform only`);
  }
  return { ok: true, value: entry };
};

/** Parse a body against its type's schema (and a named custom event's own schema). */
export const validateBody = (type: string, entry: CatalogEntry, body: unknown): Checked<Record<string, unknown>> => {
  const parsed = entry.body.safeParse(body ?? {});
  if (!parsed.success) return invalid('invalid-body', `${type}: ${formatIssues('body', parsed.error.issues)}`);
  const value = parsed.data as Record<string, unknown>;
  // Named custom schemas come from defineCustomEvent, which only the npm entry and the collector
  // offer: the script-tag build has none to check.
  if (type === 'custom-event' && typeof __SCRIPT_TAG__ == 'undefined') {
    const schema = customSchema(value.name as string);
    if (schema) {
      const props = schema.safeParse(value.properties ?? {});
      if (!props.success) {
        return invalid('invalid-body', `custom-event "${String(value.name)}": ${formatIssues('body.properties', props.error.issues)}`);
      }
      value.properties = props.data as Record<string, unknown>;
    }
  }
  return { ok: true, value };
};

/**
 * Whether `value` nests objects or arrays more than `levels` deep; stops looking there, so a cycle
 * counts as too deep. Own enumerable keys, as Object.values would give, but without an array and a
 * closure per level: this runs on every track().
 */
const deeper = (value: unknown, levels: number): true | undefined => {
  if (value && typeof value == 'object') {
    if (!levels) return true;
    for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key) && deeper((value as Record<string, unknown>)[key], levels - 1)) return true;
  }
};

/**
 * Bodies the collector could not store, refused in track() rather than failing a batch later
 * (issue 18: a 1,000-deep body failed its whole batch, again and again). The limits are written
 * out in the messages because esbuild would keep `${20}` as it is (test/unit/tracker.test.ts
 * checks they agree with the constants); `[body]` makes `undefined` measurable, 2 bytes over.
 * UTF-8 takes at most 3 bytes per UTF-16 unit, so most bodies need no count of their bytes.
 */
export const boundBody = (type: string, body: unknown): Invalid | undefined => {
  if (deeper(body, MAX_BODY_DEPTH)) return invalid('too-deep', `${type}: body over 20 levels deep`);
  const json = JSON.stringify([body]);
  if (json.length * 3 > MAX_BODY_BYTES && utf8Length(json) > MAX_BODY_BYTES) return invalid('too-large', `${type}: body over 28672 bytes`);
};

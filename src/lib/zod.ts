// The schema kit of the catalog: the few zod/mini functions Shoptrail uses, written out in
// ~1 KB instead of zod's ~7 KB gzip (issue 6's size budget). Same names, same call shapes
// and the same behaviour as zod 4 for what is here: the same values pass, outputs are
// built the same way (unknown keys stripped unless loose), and failures report zod's issue
// objects (`code`, `path`, `expected`, `origin`, `minimum` …; `message` is the schema's own
// or "Invalid input", as zod/mini without a locale), so `formatIssues` and the collector read
// them unchanged. Never uses `new Function`: safe under a strict Content-Security-Policy.
// A store's own zod schemas still work with `defineCustomEvent`: only `safeParse` is called.

/** A finished issue, shaped like zod's `$ZodIssue`. */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  [detail: string]: unknown;
}
type RawIssue = { code: string; path?: PropertyKey[]; message?: string; continue?: boolean; [detail: string]: unknown };
type Run = (value: unknown, issues: RawIssue[]) => unknown;
/** A check returns an issue for a failing value; `l`: a length check, which zod runs even after a type failure; `m`: its maximum. */
type Check = ((value: never) => RawIssue | undefined) & { l?: 1; m?: number };

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };

/** Anything with zod's `safeParse` (this kit's schemas, or a store's own zod schemas). */
export interface Parser {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly unknown[] } };
}

export interface ZodMiniType<T = unknown> {
  /** Type-level only: the parsed value's type. */
  readonly _output: T;
  /** Internal: parse `value`, push raw issues, return the output. */
  readonly _r: Run;
  /** Internal: set on optional schemas (an absent key is fine). */
  readonly _o?: 1;
  check(...checks: Check[]): this;
  safeParse(value: unknown): SafeParseResult<T>;
}
export type ZodMiniOptional<T extends ZodMiniType> = ZodMiniType<Infer<T> | undefined> & { readonly _o: 1 };
type Infer<T> = T extends { readonly _output: infer O } ? O : never;
export type { Infer as infer };

type Shape = Record<string, ZodMiniType>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { readonly _o: 1 } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
type ObjectOut<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

const finish = ({ continue: _, ...issue }: RawIssue): Issue => ({ ...issue, path: issue.path ?? [], message: issue.message ?? 'Invalid input' });

const schema = <T>(run: Run, checks: Check[] = [], optional?: 1, array?: 1): ZodMiniType<T> => {
  const parse: Run = (value, issues) => {
    // As zod: an array over a leading maximum length fails at once, before its items are parsed.
    if (array && Array.isArray(value)) {
      for (const check of checks) {
        if (!check.l) break;
        if (value.length > (check.m ?? Infinity)) return issues.push({ ...check(value as never)!, continue: false }), value;
      }
    }
    const start = issues.length;
    const out = run(value, issues);
    let failed = false; // as zod: a failed parse skips the checks, except length checks, which only need a length
    for (let i = start; i < issues.length; i++) if (!issues[i]?.continue) failed = true;
    for (const check of checks) {
      const issue = (check.l ? out != null && (out as { length?: number }).length !== undefined : !failed) && check(out as never);
      if (issue) issues.push({ ...issue, continue: true });
    }
    return out;
  };
  return {
    _r: parse,
    _o: optional,
    check: (...more: Check[]) => schema(run, [...checks, ...more], optional, array) as never,
    safeParse: (value: unknown) => {
      const issues: RawIssue[] = [];
      const data = parse(value, issues) as T;
      return issues.length ? { success: false, error: { issues: issues.map(finish) } } : { success: true, data };
    },
  } as unknown as ZodMiniType<T>; // `_output` exists for the types only
};

/** Run `inner` on `input[key]` and file its issues under `key`; a present key is kept even when undefined. */
const child = (inner: ZodMiniType, input: Record<PropertyKey, unknown> | unknown[], key: PropertyKey, issues: RawIssue[], out?: Record<PropertyKey, unknown>) => {
  const present = !out || key in input;
  if (!present && inner._o) return;
  const own: RawIssue[] = [];
  const value = inner._r((input as Record<PropertyKey, unknown>)[key], own);
  for (const issue of own) issues.push({ ...issue, path: [key, ...(issue.path ?? [])] });
  if (present) (out ?? (input as Record<PropertyKey, unknown>))[key] = value;
  else if (!own.length) issues.push({ code: 'invalid_type', expected: 'nonoptional', path: [key] });
};

const wrongType = (value: unknown, issues: RawIssue[], expected: string) => {
  issues.push({ code: 'invalid_type', expected });
  return value;
};
const typed = <T>(expected: string, ok: (value: unknown) => boolean) =>
  schema<T>((value, issues) => (ok(value) ? value : wrongType(value, issues, expected)));

export const string = () => typed<string>('string', (v) => typeof v === 'string');
/** Finite numbers only, as zod (no NaN, no Infinity). */
export const number = () =>
  schema<number>((value, issues) => {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    issues.push(typeof value === 'number' ? { code: 'invalid_type', expected: 'number', received: String(value) } : { code: 'invalid_type', expected: 'number' });
    return value;
  });
export const boolean = () => typed<boolean>('boolean', (v) => typeof v === 'boolean');
export const unknown = () => schema<unknown>((value) => value);

export const optional = <T extends ZodMiniType>(inner: T): ZodMiniOptional<T> =>
  schema((value, issues) => (value === undefined ? value : inner._r(value, issues)), [], 1) as ZodMiniOptional<T>;

export const array = <T extends ZodMiniType>(element: T) =>
  schema<Infer<T>[]>((value, issues) => {
    if (!Array.isArray(value)) return wrongType(value, issues, 'array');
    const out = value.slice();
    for (let i = 0; i < out.length; i++) child(element, out, i, issues);
    return out;
  }, [], undefined, 1);

const isObject = (value: unknown): value is Record<PropertyKey, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object schema keeps its shape (`_s`) and catch-all (`_c`) for `catchall` and the README's catalog table. */
export type ZodMiniObject<T, S extends Shape = Shape> = ZodMiniType<T> & { readonly _s: S; readonly _c?: ZodMiniType };

const shaped = <T, S extends Shape>(shape: S, rest?: ZodMiniType): ZodMiniObject<T, S> => {
  const entries = Object.entries(shape).filter(([key]) => key !== '__proto__');
  return Object.assign(
    schema<T>((input, issues) => {
      if (!isObject(input)) return wrongType(input, issues, 'object');
      const out: Record<string, unknown> = {};
      for (const [key, inner] of entries) child(inner, input, key, issues, out);
      if (rest) {
        for (const key in input) {
          if (!Object.prototype.hasOwnProperty.call(shape, key) && key !== '__proto__') child(rest, input, key, issues, out);
        }
      }
      return out;
    }),
    { _s: shape, _c: rest },
  );
};

/** zod's test: no class instances, but objects from another realm or without a prototype pass. */
const isPlain = (value: unknown): value is Record<PropertyKey, unknown> => {
  if (!isObject(value)) return false;
  const make: unknown = value.constructor;
  if (typeof make !== 'function') return true;
  const proto: unknown = make.prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf');
};

/** Known keys checked, unknown keys dropped from the output. */
export const object = <S extends Shape>(shape: S) => shaped<ObjectOut<S>, S>(shape);
/** Known keys checked, unknown keys kept as they are. */
export const looseObject = <S extends Shape>(shape: S) => shaped<ObjectOut<S> & Record<string, unknown>, S>(shape, unknown());
/** Known keys checked, every other key checked against `rest`. */
export const catchall = <S extends Shape, R extends ZodMiniType>(base: ZodMiniObject<ObjectOut<S>, S>, rest: R) =>
  shaped<ObjectOut<S> & Record<string, Infer<R>>, S>(base._s, rest);

/** Plain objects whose own enumerable keys pass `keys` and values pass `values`. */
export const record = <K extends ZodMiniType<string>, V extends ZodMiniType>(keys: K, values: V) =>
  schema<Record<Infer<K>, Infer<V>>>((input, issues) => {
    if (!isPlain(input)) return wrongType(input, issues, 'record');
    const source = input;
    const out: Record<PropertyKey, unknown> = {};
    for (const key of Reflect.ownKeys(source)) {
      if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(source, key)) continue;
      const bad: RawIssue[] = [];
      keys._r(key, bad);
      if (bad.length) issues.push({ code: 'invalid_key', origin: 'record', issues: bad.map(finish), path: [key] });
      else child(values, source, key, issues, out);
    }
    return out;
  });

export const literal = <const T extends string | number | boolean>(value: T) =>
  schema<T>((input, issues) => {
    if (input !== value) issues.push({ code: 'invalid_value', values: [value] });
    return input;
  });

/** The first option that passes; else, as zod, the one option that failed only its checks, or `invalid_union`. */
export const union = <const T extends readonly ZodMiniType[]>(options: T) =>
  schema<Infer<T[number]>>((input, issues) => {
    const tries = options.map((option) => {
      const own: RawIssue[] = [];
      return { value: option._r(input, own), own };
    });
    const passed = tries.find((t) => !t.own.length);
    if (passed) return passed.value;
    const soft = tries.filter((t) => t.own.every((issue) => issue.continue));
    const [one, two] = soft;
    if (one && !two) return issues.push(...one.own), one.value;
    issues.push({ code: 'invalid_union', errors: tries.map((t) => t.own.map(finish)) });
    return input;
  });

const format = (name: string, pattern: RegExp) =>
  string().check((value: string) => (pattern.test(value) ? undefined : { code: 'invalid_format', origin: 'string', format: name, pattern: String(pattern) }));

/** RFC 9562 UUID (any version), zod's pattern. */
export const uuid = () =>
  format('uuid', /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/);

const dateSource =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
/** `iso.datetime()`: a UTC ISO 8601 date-time with seconds (`…T12:00:00.000Z`), zod's pattern. */
export const iso = {
  datetime: () => format('datetime', new RegExp(`^${dateSource}T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z))$`)),
};

/** Length in code points, as zod counts strings; only counted when the UTF-16 length leaves it in doubt. */
const size = (value: string | unknown[]) => (typeof value === 'string' ? [...value].length : value.length);
const lengthCheck = (fn: (value: string | unknown[]) => RawIssue | undefined, m?: number): Check => Object.assign(fn, { l: 1 as const, m });
const lengthable = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'unknown');

export const maxLength = (maximum: number) =>
  lengthCheck(
    (value) => (value.length > maximum && size(value) > maximum ? { code: 'too_big', origin: lengthable(value), maximum, inclusive: true } : undefined),
    maximum,
  );
export const minLength = (minimum: number) =>
  lengthCheck((value) =>
    value.length < minimum * 2 && size(value) < minimum ? { code: 'too_small', origin: lengthable(value), minimum, inclusive: true } : undefined,
  );

export const regex =
  (pattern: RegExp, message?: string): Check =>
  (value: string) => {
    pattern.lastIndex = 0;
    return pattern.test(value) ? undefined : { code: 'invalid_format', origin: 'string', format: 'regex', pattern: String(pattern), message };
  };

export const lte =
  (maximum: number): Check =>
  (value: number) => (value <= maximum ? undefined : { code: 'too_big', origin: 'number', maximum, inclusive: true });
export const gte =
  (minimum: number): Check =>
  (value: number) => (value >= minimum ? undefined : { code: 'too_small', origin: 'number', minimum, inclusive: true });
export const nonnegative = () => gte(0);
/** zod's float-tolerant remainder: 3.0000000000000004 counts as a multiple of 1. */
export const multipleOf =
  (divisor: number): Check =>
  (value: number) => {
    const ratio = value / divisor;
    return Math.abs(ratio - Math.round(ratio)) < 4 * Number.EPSILON * Math.max(Math.abs(ratio), 1)
      ? undefined
      : { code: 'not_multiple_of', origin: 'number', divisor };
  };

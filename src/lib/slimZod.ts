// zod/mini as dist/shoptrail.js and dist/shopify-pixel.js build it (esbuild.config.mjs aliases
// `zod/mini` to this file there, and only there): the same zod core schemas and checks, made by
// the same factories, with only the two methods those builds call, `check`
// (src/schemas/fields.ts) and `safeParse` (src/validate.ts). zod/mini's own schemas also carry
// parse, parseAsync, safeParseAsync, brand, register, apply and a ZodError class, which they
// never use (616 B gzip of shoptrail.js, issue 19). Exports only what the catalog uses: a module
// of those builds importing anything else from zod fails the build.
// test/unit/lib/slimZod.test.ts checks that the catalog validates alike with both.
import {
  _array,
  _boolean,
  _number,
  _optional,
  _safeParse,
  _string,
  _unknown,
  $constructor,
  $ZodArray,
  $ZodBoolean,
  $ZodNumber,
  $ZodObject,
  $ZodOptional,
  $ZodString,
  $ZodType,
  $ZodUnknown,
  clone,
} from 'zod/v4/core';

export { _gte as gte, _lte as lte, _maxLength as maxLength, _minLength as minLength, _regex as regex, config } from 'zod/v4/core';

/** What `safeParse` fails with: the issues, as `ZodError.issues` has them (src/validate.ts reads no more). */
// (a function, not a class: the tag's targets would turn a class field into a helper)
function Issues(this: { issues: unknown[] }, issues: unknown[]) {
  this.issues = issues;
}
const safeParse = _safeParse(Issues as any);

/** A check as zod/mini's `check` takes it: a check, or a function of the value being checked. */
const asCheck = (check: any) => (typeof check == 'function' ? { _zod: { check, def: { check: 'custom' }, onattach: [] } } : check);

const SlimType = $constructor(
  'ZodMiniType',
  (inst: any, def: any) => {
    ($ZodType.init as (inst: any, def: any) => void)(inst, def);
    inst.def = def;
    inst.type = def.type;
  },
  {
    safeParse(this: any, data: unknown) {
      return safeParse(this, data);
    },
    check(this: any, ...checks: unknown[]) {
      return clone(this, { ...this.def, checks: [...(this.def.checks ?? []), ...checks.map(asCheck)] }, { parent: true });
    },
  } as any,
) as any;

/** A schema class: zod core's kind `Core` with the methods above, as zod/mini's ZodMini<Kind> is. */
const slim = (Core: any): any =>
  $constructor(`Slim${Core.name}`, (inst: any, def: any) => {
    Core.init(inst, def);
    SlimType.init(inst, def);
  });

const SlimString = slim($ZodString);
const SlimNumber = slim($ZodNumber);
const SlimBoolean = slim($ZodBoolean);
const SlimUnknown = slim($ZodUnknown);
const SlimArray = slim($ZodArray);
const SlimObject = slim($ZodObject);
const SlimOptional = slim($ZodOptional);

export const string = (params?: any) => _string(SlimString, params);
export const number = (params?: any) => _number(SlimNumber, params);
export const boolean = (params?: any) => _boolean(SlimBoolean, params);
export const unknown = () => _unknown(SlimUnknown);
export const array = (element: any, params?: any) => _array(SlimArray, element, params);
export const optional = (inner: any) => _optional(SlimOptional, inner);
/** (no params: the catalog gives none) */
export const object = (shape: any) => new SlimObject({ type: 'object', shape });
/** As zod/mini's: the definition's properties copied as they are, since reading `shape` would copy it. */
export const catchall = (inst: any, schema: any) =>
  clone(
    inst,
    Object.defineProperties(
      {},
      { ...Object.getOwnPropertyDescriptors(inst._zod.def), catchall: { value: schema, enumerable: true, writable: true, configurable: true } },
    ),
  );

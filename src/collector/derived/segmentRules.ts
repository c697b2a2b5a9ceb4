// Segment rules (seed 003: Gold / Silver / Bronze) as the config file gives them: per entity, a
// name and conditions that must all hold, over profile attributes and event counts or sums.
//   { "name": "Gold", "when": [{ "sum": "value", "of": "purchase", "days": 90, "gt": 500 }] }
export interface Compare {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: string | number | boolean;
  ne?: string | number | boolean;
}

export type Condition =
  /** A profile attribute (`email` is the profile's email). */
  | ({ attribute: string } & Compare)
  /** How many events of a type the customer has (in the last `days`). */
  | ({ count: string; days?: number } & Compare)
  /** The sum of a numeric body field over events of a type (`of`), in the last `days`. */
  | ({ sum: string; of: string; days?: number } & Compare);

export interface SegmentRule {
  name: string;
  when: Condition[];
}

type Fail = (path: string, message: string) => never;

const OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'] as const;
const NAME = /^[A-Za-z0-9][\w .:-]{0,99}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,3}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const parseCondition = (path: string, raw: unknown, isType: (t: string) => boolean, fail: Fail): Condition => {
  if (!isObject(raw)) return fail(path, 'must be an object');
  const kinds = ['attribute', 'count', 'sum'].filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) fail(path, 'give exactly one of "attribute", "count" or "sum"');
  const allowed = [...kinds, ...OPS, ...(kinds[0] === 'attribute' ? [] : ['days']), ...(kinds[0] === 'sum' ? ['of'] : [])];
  const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (unknown.length) fail(path, `unknown key "${unknown[0]}" (known: ${allowed.join(', ')})`);
  const ops = OPS.filter((op) => raw[op] !== undefined);
  if (!ops.length) fail(path, `give a comparison: ${OPS.join(', ')}`);
  for (const op of ops) {
    const v = raw[op];
    const ok = op === 'eq' || op === 'ne' ? ['string', 'number', 'boolean'].includes(typeof v) : typeof v === 'number' && Number.isFinite(v);
    if (!ok) fail(`${path}.${op}`, op === 'eq' || op === 'ne' ? 'must be a string, number or boolean' : 'must be a number');
  }
  if (raw.days !== undefined && !(Number.isInteger(raw.days) && (raw.days as number) > 0)) fail(`${path}.days`, 'must be a positive integer');
  const kind = kinds[0]!;
  if (kind === 'attribute' && !(typeof raw.attribute === 'string' && FIELD.test(raw.attribute))) fail(`${path}.attribute`, 'must be an attribute name');
  if (kind === 'count' && !(typeof raw.count === 'string' && isType(raw.count))) fail(`${path}.count`, 'must be a catalog event type');
  if (kind === 'sum') {
    if (!(typeof raw.sum === 'string' && FIELD.test(raw.sum))) fail(`${path}.sum`, 'must be a body field, such as "value"');
    if (!(typeof raw.of === 'string' && isType(raw.of))) fail(`${path}.of`, 'must be a catalog event type');
  }
  return { ...raw } as unknown as Condition;
};

/** Check an entity's `segments`; names are unique within the entity. */
export const parseSegments = (path: string, raw: unknown, isType: (t: string) => boolean, fail: Fail): SegmentRule[] => {
  if (!Array.isArray(raw)) return fail(path, 'must be an array of { name, when }');
  const names = new Set<string>();
  return raw.map((rule, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(rule)) return fail(at, 'must be an object');
    const unknown = Object.keys(rule).filter((k) => k !== 'name' && k !== 'when');
    if (unknown.length) fail(at, `unknown key "${unknown[0]}" (known: name, when)`);
    if (typeof rule.name !== 'string' || !NAME.test(rule.name)) fail(`${at}.name`, 'must be a name of letters, digits, spaces or .:_-');
    if (names.has(rule.name as string)) fail(`${at}.name`, `"${rule.name}" is already a segment of this entity`);
    names.add(rule.name as string);
    if (!Array.isArray(rule.when) || !rule.when.length) fail(`${at}.when`, 'must be a non-empty array of conditions');
    return { name: rule.name as string, when: (rule.when as unknown[]).map((c, j) => parseCondition(`${at}.when[${j}]`, c, isType, fail)) };
  });
};

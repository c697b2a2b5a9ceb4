// Custom reports (seed 004): a table of measures grouped by dimensions over one event type
// or one custom event name ("custom object"), joined with contacts' profile attributes.
// Names are parsed against a small grammar; what reaches SQL is fixed text plus bound
// parameters (JSON paths built from validated names only), never the caller's strings.
import { lookup } from '../schema';
import { JOIN_ALIASES } from './profiles';
import { type Dialect, dialects, type Fragment } from './storage/dialect';
import type { Storage } from './storage/types';

export interface ReportSpec {
  source: { type: string } | { customEvent: string };
  dimensions?: string[];
  measures: string[];
  /** ISO dates or times: events created at or after `from`, before `to`. */
  from?: string;
  to?: string;
  limit?: number;
}

export interface ReportResult {
  columns: Array<{ name: string; kind: 'dimension' | 'measure' }>;
  rows: Array<Array<string | number | boolean | null>>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

type Sql = Fragment;

const SEGMENT = '[A-Za-z_][A-Za-z0-9_]{0,63}';
const PATH = new RegExp(`^${SEGMENT}(\\.${SEGMENT}){0,3}$`);
const ATTRIBUTE = new RegExp(`^${SEGMENT}$`);
const CUSTOM_NAME = /^[A-Za-z0-9][\w.:-]{0,99}$/;
const UTM = new Set(['source', 'medium', 'campaign', 'content', 'term']);
const MAX_DIMENSIONS = 3;
const MAX_MEASURES = 6;

const CONTACT = 'COALESCE(e.customer_id, a.customer_id)';

/** The time dimensions, in the engine's SQL. */
const time = (dialect: Dialect, name: string): string | undefined =>
  name === 'day' ? 'substr(e.created_at, 1, 10)' : name === 'week' ? dialect.week('e.created_at') : name === 'month' ? 'substr(e.created_at, 1, 7)' : undefined;

/** A property of the event: `body.x`, `properties.x` (a custom event's), or bare `x` for the source's own. */
const propertyPath = (name: string, custom: boolean): string[] | undefined => {
  const [head, ...rest] = name.split('.');
  if (head === 'body' && rest.length && PATH.test(rest.join('.'))) return ['body', ...rest];
  if (head === 'properties' && rest.length && PATH.test(rest.join('.'))) return ['body', 'properties', ...rest];
  if (PATH.test(name)) return custom ? ['body', 'properties', ...name.split('.')] : ['body', ...name.split('.')];
  return undefined;
};

interface Dimension extends Sql {
  contact: boolean;
  /** Grouped by the contact's segments (derived/segments.ts): an event counts once per segment. */
  segment?: boolean;
}

const dimension = (dialect: Dialect, name: string, custom: boolean): Dimension | undefined => {
  const period = time(dialect, name);
  if (period) return { sql: period, params: [], contact: false };
  if (name === 'segment') return { sql: 'sm.segment', params: [], contact: false, segment: true };
  const [head, ...rest] = name.split('.');
  const tail = rest.join('.');
  if (head === 'utm') return UTM.has(tail) ? { ...dialect.value('e.envelope', ['context', 'utm', tail]), contact: false } : undefined;
  if (head === 'contact') {
    if (tail === 'email') return { sql: 'p.email', params: [], contact: true };
    return ATTRIBUTE.test(tail) ? { ...dialect.value('p.attributes', [tail]), contact: true } : undefined;
  }
  if (head !== 'body' && head !== 'properties') return undefined; // bare names are for measures only
  const path = propertyPath(name, custom);
  return path ? { ...dialect.value('e.envelope', path), contact: false } : undefined;
};

const measure = (dialect: Dialect, name: string, custom: boolean): Sql | undefined => {
  if (name === 'count') return { sql: 'count(*)', params: [] };
  if (name === 'distinctContacts') return { sql: `count(DISTINCT ${CONTACT})`, params: [] };
  const match = /^(sum|avg):(.+)$/.exec(name);
  const path = match && propertyPath(match[2]!, custom);
  if (!match || !path) return undefined;
  const value = dialect.number('e.envelope', path);
  return { sql: `${match[1]}(${value.sql})`, params: value.params };
};

const isDate = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(value) && !Number.isNaN(Date.parse(value));

const names = (value: unknown, max: number, what: string): Parsed<string[]> => {
  if (value === undefined) return { ok: true, value: [] };
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return { ok: false, error: `${what} must be a list of names` };
  if (value.length > max) return { ok: false, error: `at most ${max} ${what}` };
  return { ok: true, value: value as string[] };
};

/** A compiled report: the SQL text (fixed fragments and `?`) and its parameters. */
export interface Plan extends Sql {
  columns: ReportResult['columns'];
}

/** Check a report request and compile it for one entity. */
export const planReport = (dialect: Dialect, entity: string, raw: unknown): Parsed<Plan> => {
  const spec = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const source = (spec.source && typeof spec.source === 'object' ? spec.source : {}) as Record<string, unknown>;
  const where: Sql = { sql: 'e.entity = ?', params: [entity] };
  let custom = false;
  if (typeof source.customEvent === 'string') {
    if (!CUSTOM_NAME.test(source.customEvent)) return { ok: false, error: 'source.customEvent: invalid custom event name' };
    custom = true;
    const name = dialect.text('e.envelope', ['body', 'name']);
    where.sql += ` AND e.type = 'custom-event' AND ${name.sql} = ?`;
    where.params.push(...name.params, source.customEvent);
  } else if (typeof source.type === 'string' && lookup(source.type)) {
    custom = source.type === 'custom-event';
    where.sql += ' AND e.type = ?';
    where.params.push(source.type);
  } else {
    return { ok: false, error: 'source: give { type } of a catalog event type or { customEvent: name }' };
  }
  for (const [key, op] of [
    ['from', '>='],
    ['to', '<'],
  ] as const) {
    if (spec[key] === undefined) continue;
    if (!isDate(spec[key])) return { ok: false, error: `${key}: expected an ISO date` };
    where.sql += ` AND e.created_at ${op} ?`;
    where.params.push(new Date(spec[key] as string).toISOString());
  }

  const dimensionNames = names(spec.dimensions, MAX_DIMENSIONS, 'dimensions');
  if (!dimensionNames.ok) return dimensionNames;
  const measureNames = names(spec.measures, MAX_MEASURES, 'measures');
  if (!measureNames.ok) return measureNames;
  if (!measureNames.value.length) return { ok: false, error: 'measures: give at least one (count, distinctContacts, sum:<property>, avg:<property>)' };

  const dims: Dimension[] = [];
  for (const name of dimensionNames.value) {
    const d = dimension(dialect, name, custom);
    if (!d) return { ok: false, error: `unknown dimension "${name.slice(0, 100)}"` };
    dims.push(d);
  }
  const meas: Sql[] = [];
  for (const name of measureNames.value) {
    const m = measure(dialect, name, custom);
    if (!m) return { ok: false, error: `unknown measure "${name.slice(0, 100)}"` };
    meas.push(m);
  }
  const limit = typeof spec.limit === 'number' && spec.limit >= 1 ? Math.min(Math.floor(spec.limit), 10_000) : 1000;

  const select = [...dims, ...meas];
  const byContact = dims.some((d) => d.contact);
  const ordinals = dims.map((_, i) => String(i + 1)).join(', ');
  // Both engines sort empty values first (PostgreSQL's default is last).
  const order = dims.map((_, i) => `${i + 1} NULLS FIRST`).join(', ');
  const sql = [
    `SELECT ${select.map((s) => s.sql).join(', ')}`,
    `FROM events e ${JOIN_ALIASES}`,
    // The cross join with contacts keeps identified contacts only (seed 004).
    byContact ? 'JOIN profiles p ON p.entity = e.entity AND p.customer_id = COALESCE(e.customer_id, a.customer_id)' : '',
    // Contacts in no segment group under null.
    dims.some((d) => d.segment) ? `LEFT JOIN segment_members sm ON sm.entity = e.entity AND sm.customer_id = ${CONTACT}` : '',
    `WHERE ${where.sql}`,
    dims.length ? `GROUP BY ${ordinals} ORDER BY ${order}` : '',
    'LIMIT ?',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    ok: true,
    value: {
      sql,
      params: [...select.flatMap((s) => s.params), ...where.params, limit],
      columns: [
        ...dimensionNames.value.map((name) => ({ name, kind: 'dimension' as const })),
        ...measureNames.value.map((name) => ({ name, kind: 'measure' as const })),
      ],
    },
  };
};

/** Run a report for one entity: the table, or why the request was refused. */
export const runReport = async (storage: Storage, entity: string, spec: unknown, timeoutMs?: number): Promise<Parsed<ReportResult>> => {
  const plan = planReport(dialects[storage.engine], entity, spec);
  if (!plan.ok) return plan;
  const rows = await storage.report({ sql: plan.value.sql, params: plan.value.params, timeoutMs });
  return { ok: true, value: { columns: plan.value.columns, rows } };
};

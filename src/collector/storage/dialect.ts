// What differs between SQLite's and PostgreSQL's SQL in the collector's queries: reading a
// value out of a JSON text column, the week of a date, row locks. Everything else is written
// once, in the SQL both engines share. Paths are lists of names the callers have validated.
import type { Engine } from './types';

/** A SQL fragment with `?` placeholders and the values they take, in order. */
export interface Fragment {
  sql: string;
  params: unknown[];
}

export interface Dialect {
  /** The JSON value at `path` of a JSON text column, as a JavaScript value. */
  value(column: string, path: string[]): Fragment;
  /** The same value as text, for comparisons with strings. */
  text(column: string, path: string[]): Fragment;
  /** A number at `path`, or NULL when the value there is not a number. */
  number(column: string, path: string[]): Fragment;
  /** The Monday of an ISO time's week, "YYYY-MM-DD". */
  week(column: string): string;
  /** Who a lifecycle event is about (`body.properties.userId`), spelled as its index is. */
  subject(column: string): string;
  /** The larger of two values (SQLite's scalar max, PostgreSQL's GREATEST). */
  greatest(a: string, b: string): string;
  /** Appended to a SELECT whose rows the transaction will update. */
  forUpdate: string;
  /**
   * Appended to a SELECT that claims rows of a work table (jobs in every replica): on
   * PostgreSQL, rows another replica holds are skipped rather than waited for; SQLite has one
   * writer at a time, so a claim is already exclusive.
   */
  skipLocked: string;
}

const sqlite: Dialect = {
  value: (column, path) => ({ sql: `json_extract(${column}, ?)`, params: [`$.${path.join('.')}`] }),
  text: (column, path) => sqlite.value(column, path),
  number: (column, path) => ({
    sql: `(CASE WHEN json_type(${column}, ?) IN ('integer', 'real') THEN json_extract(${column}, ?) END)`,
    params: [`$.${path.join('.')}`, `$.${path.join('.')}`],
  }),
  // 'weekday 0' is the next Sunday (or that day); six days before is its Monday.
  week: (column) => `date(${column}, 'weekday 0', '-6 days')`,
  subject: (column) => `json_extract(${column}, '$.body.properties.userId')`,
  greatest: (a, b) => `max(${a}, ${b})`,
  forUpdate: '',
  skipLocked: '',
};

const postgres: Dialect = {
  value: (column, path) => ({ sql: `(${column}::jsonb #> ?::text[])`, params: [path] }),
  text: (column, path) => ({ sql: `(${column}::jsonb #>> ?::text[])`, params: [path] }),
  number: (column, path) => ({
    sql: `(CASE WHEN jsonb_typeof(${column}::jsonb #> ?::text[]) = 'number' THEN (${column}::jsonb #>> ?::text[])::float8 END)`,
    params: [path, path],
  }),
  week: (column) => `to_char(date_trunc('week', (${column})::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
  subject: (column) => `(${column}::jsonb #>> '{body,properties,userId}')`,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  forUpdate: ' FOR UPDATE',
  skipLocked: ' FOR UPDATE SKIP LOCKED',
};

export const dialects: Record<Engine, Dialect> = { sqlite, postgres };

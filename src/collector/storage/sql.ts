// The few things the storage needs from a SQL driver, so that one SQL text (with `?`
// placeholders) serves both engines: rows of a query, rows changed by a statement, and a
// transaction. sqlite.ts and postgres.ts adapt better-sqlite3 and node-postgres to it.
import type { Engine } from './types';

export interface SqlClient {
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Rows as arrays, in the order of the selected columns (which may share a name). */
  values(sql: string, params?: unknown[]): Promise<Array<Array<string | number | boolean | null>>>;
  /** Rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface SqlDb extends SqlClient {
  readonly engine: Engine;
  /** Where it is, with any password hidden. */
  readonly name: string;
  /** Run `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * A heavy read-only query (a report), off the path of ingest and stopped after `timeoutMs`
   * (ReportTimeout): a worker thread on SQLite, a statement_timeout on PostgreSQL.
   */
  report(sql: string, params: unknown[], timeoutMs: number): Promise<Array<Array<string | number | boolean | null>>>;
  close(): Promise<void>;
}

/**
 * The database cannot answer now (down, restarting, locked, out of connections): the request
 * gets a 503 with Retry-After, and the browser's queue keeps the events for later.
 */
export class StorageUnavailable extends Error {
  constructor(where: string, cause: unknown) {
    super(`database ${where} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StorageUnavailable';
  }
}

/** A report ran over its time limit and was stopped: it would run over again, so narrow it. */
export class ReportTimeout extends Error {
  constructor(readonly ms: number) {
    super(`report ran over ${ms / 1000} s and was stopped: narrow it (from/to, fewer dimensions) or try when the shop is quieter`);
    this.name = 'ReportTimeout';
  }
}

/** As many reports as may run at once are running: try again shortly. */
export class ReportsBusy extends Error {
  constructor() {
    super('other reports are running: try again shortly');
    this.name = 'ReportsBusy';
  }
}

/** How long a report may run unless told otherwise. */
export const REPORT_TIMEOUT_MS = 10_000;

// SQLite through better-sqlite3: the embedded default, one process on one file. WAL so that
// other processes can read while the collector writes. better-sqlite3 answers synchronously on
// one connection, so every operation takes its turn (a queue): a read never sees a batch half
// written by a transaction that is waiting between two statements.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { type SqlClient, type SqlDb, StorageUnavailable } from './sql';
import { createReportRunner } from './sqliteReports';

type Driver = typeof BetterSqlite3;

/** Errors that say "not now" rather than "never": the file is locked, full or unreadable. */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/;

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; booleans become 0/1. */
const bindable = (params: unknown[]) => params.map((p) => (typeof p === 'boolean' ? Number(p) : p));

export const openSqlite = (Database: Driver, path: string): SqlDb => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL survives a process crash; only a power cut may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A batch's multi-row INSERT, inside its transaction, keeps a statement journal (to undo just that
  // statement); past 64 KiB SQLite spills it to a temp file created and unlinked per batch. In memory
  // it costs a batch's pages at most, and a third of the insert's CPU less.
  db.pragma('temp_store = MEMORY');
  // A batch dirties a few hundred pages (an index of random ids, one of visitors); checkpointing
  // every 4,000 WAL pages (~16 MB) instead of 1,000 copies a page rewritten by many batches to the
  // database file once, and fsyncs a quarter as often. Not more: a checkpoint holds up the batch
  // that runs it, and at 10,000 pages the p99 latency grew by ~20 ms for ~3% less CPU.
  db.pragma('wal_autocheckpoint = 4000');
  const name = `sqlite:${path}`;

  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!;
  const guard = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (TRANSIENT.test(String((error as { code?: unknown }).code ?? ''))) throw new StorageUnavailable(name, error);
      throw error;
    }
  };
  const client: SqlClient = {
    all: async <T>(sql: string, params: unknown[] = []) =>
      guard(() => {
        const statement = prepare(sql);
        return (statement.reader ? statement.all(...bindable(params)) : (statement.run(...bindable(params)), [])) as T[];
      }),
    // (its own statement: raw mode is a setting of the statement)
    values: async (sql, params = []) =>
      guard(
        () =>
          db
            .prepare(sql)
            .raw(true)
            .all(...bindable(params)) as never,
      ),
    run: async (sql, params = []) => guard(() => prepare(sql).run(...bindable(params)).changes),
  };

  let turn: Promise<unknown> = Promise.resolve();
  /** Run `work` after everything queued before it. */
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };

  // A file's reports run in worker threads (sqliteReports.ts); `:memory:` has only this connection.
  const runReport = path === ':memory:' ? undefined : createReportRunner(path);

  return {
    engine: 'sqlite',
    name,
    report: (sql, params, timeoutMs) =>
      runReport
        ? runReport(sql, params, timeoutMs).catch((error: unknown) =>
            guard(() => {
              throw error;
            }),
          )
        : inTurn(() => client.values(sql, params)),
    all: (sql, params) => inTurn(() => client.all(sql, params)),
    values: (sql, params) => inTurn(() => client.values(sql, params)),
    run: (sql, params) => inTurn(() => client.run(sql, params)),
    transaction: (work) =>
      inTurn(async () => {
        guard(() => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await work(client);
          guard(() => db.exec('COMMIT'));
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () =>
      inTurn(async () => {
        db.close();
      }),
  };
};

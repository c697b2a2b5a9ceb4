// PostgreSQL through node-postgres: a pool per database, shared by every entity stored there.
// Replicas share nothing but the database, so anything that must hold across them (dedupe,
// usage, rate buckets, the read cursor) lives in it.
import type pg from 'pg';
import { hidePassword } from '../config';
import { ReportTimeout, type SqlClient, type SqlDb, StorageUnavailable } from './sql';

type Driver = typeof pg;

/** SQLSTATE classes and codes that mean "the database cannot answer now". */
const UNAVAILABLE = /^(08|57P0|53)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

const isUnavailable = (error: unknown): boolean => {
  const code = String((error as { code?: unknown }).code ?? '');
  if (UNAVAILABLE.test(code) || NETWORK.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
};

/** `?` placeholders (the SQL both engines share) as `$1, $2, …`. Our SQL has no `?` in literals. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export const openPostgres = (driver: Driver, url: string, options: { max?: number } = {}): SqlDb => {
  const name = hidePassword(url);
  // Counts and sums come back as numbers (not strings): they never reach 2^53 here.
  const types = new driver.TypeOverrides();
  types.setTypeParser(driver.types.builtins.INT8, (v: string) => Number(v));
  types.setTypeParser(driver.types.builtins.NUMERIC, (v: string) => Number(v));
  const pool = new driver.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A database that is down answers the request with 503 soon, rather than holding it.
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client whose server went away: the pool drops it; the next query reconnects.
  pool.on('error', () => undefined);
  // A client checked out for a transaction has no listener of the pool's: when its server dies
  // between two queries, its 'error' event would crash the process. The query in flight or the
  // next one rejects anyway, which is what answers 503.
  pool.on('connect', (client) => client.on('error', () => undefined));

  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw isUnavailable(error) ? new StorageUnavailable(name, error) : error;
    }
  };
  type Query = (config: pg.QueryConfig) => Promise<pg.QueryResult>;
  const over = (query: Query): SqlClient => ({
    all: async <T>(sql: string, params: unknown[] = []) => (await query({ text: numbered(sql), values: params })).rows as T[],
    values: async (sql, params = []) => (await query({ text: numbered(sql), values: params, rowMode: 'array' } as pg.QueryConfig)).rows,
    run: async (sql, params = []) => (await query({ text: numbered(sql), values: params })).rowCount ?? 0,
  });
  const direct = over((config) => guarded(() => pool.query(config)));

  const transaction: SqlDb['transaction'] = (work) =>
    guarded(async () => {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(over((config) => client.query(config)));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = isUnavailable(error);
        if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        // A client whose connection failed goes, not back to the pool.
        client.release(broken);
      }
    });

  return {
    engine: 'postgres',
    name,
    ...direct,
    transaction,
    // A report runs on a pooled connection like any query, async: ingest goes on beside it. The
    // database stops it at the limit (SQLSTATE 57014, query_canceled).
    report: async (sql, params, timeoutMs) => {
      try {
        return await transaction(async (tx) => {
          await tx.run(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
          return tx.values(sql, params);
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === '57014') throw new ReportTimeout(timeoutMs);
        throw error;
      }
    },
    close: () => pool.end(),
  };
};

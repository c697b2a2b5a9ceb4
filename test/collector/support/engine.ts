// The engine this run of the collector's contract suite tests: the `collector` project runs it
// on SQLite, `collector-postgres` on PostgreSQL (SHOPTRAIL_TEST_ENGINE), the same tests.
import pg from 'pg';
import { inject } from 'vitest';
import { createStorage, openStorage } from '../../../src/collector/storage/index';
import { openPostgres } from '../../../src/collector/storage/postgres';
import type { Engine, Storage } from '../../../src/collector/storage/types';
import { TEMPLATE } from './postgres-setup';

export const ENGINE: Engine = process.env.SHOPTRAIL_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

let made = 0;

/** A database of its own for one test, empty and migrated: in memory, or copied from the template. */
const freshPostgres = (): Storage => {
  const name = `t_${process.pid}_${++made}_${Math.random().toString(36).slice(2, 8)}`;
  const server = new URL(inject('postgresUrl'));
  const urlOf = (db: string) => Object.assign(new URL(server), { pathname: `/${db}` }).toString();
  return createStorage(async () => {
    const admin = new pg.Client({ connectionString: urlOf('postgres') });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    } finally {
      await admin.end();
    }
    return openPostgres(pg, urlOf(name), { max: 4 });
  }, urlOf(name));
};

/** How a test collector opens a store URL: as given on SQLite, a fresh database on PostgreSQL. */
export const openTestStorage = (url: string): Storage => (ENGINE === 'postgres' ? freshPostgres() : openStorage(url));

/** An empty storage for tests below the HTTP layer. */
export const freshStorage = (): Storage => openTestStorage('sqlite::memory:');

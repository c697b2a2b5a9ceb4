// A database that outlives a collector, for restarts and replicas: a SQLite file, or a new
// database in the suite's PostgreSQL cluster.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { ENGINE } from './engine';

let made = 0;

export const sharedDatabase = async (): Promise<string> => {
  if (ENGINE === 'sqlite') return `sqlite:${join(mkdtempSync(join(tmpdir(), 'shoptrail-shared-')), 'collector.db')}`;
  const server = new URL(inject('postgresUrl'));
  const name = `shared_${process.pid}_${++made}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return Object.assign(new URL(server), { pathname: `/${name}` }).toString();
};

// The PostgreSQL clusters the tests start themselves (test/support/postgres.ts): they start,
// answer `pg`, hold several databases, and keep committed rows across a crash (`-m immediate`).
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, skipWithoutPostgres, startPostgres } from '../support/postgres';

const query = async (url: string, sql: string, params: unknown[] = []) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
};

describe.skipIf(skipWithoutPostgres())('PostgreSQL test clusters', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  let second: string;

  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('starts on a free port on 127.0.0.1 and answers pg', async () => {
    expect(cluster.url).toBe(`postgres://shoptrail@127.0.0.1:${cluster.port}/shoptrail`);
    const [row] = await query(cluster.url, 'SELECT current_user AS who, current_database() AS db, inet_server_addr()::text AS addr, current_setting($1) AS fsync', [
      'fsync',
    ]);
    expect(row).toEqual({ who: 'shoptrail', db: 'shoptrail', addr: '127.0.0.1/32', fsync: 'on' });
  });

  it('creates a second database', async () => {
    second = await cluster.createDatabase('shard_two');
    expect(second).toBe(`postgres://shoptrail@127.0.0.1:${cluster.port}/shard_two`);
    await query(second, 'CREATE TABLE kept (id text PRIMARY KEY)');
    await query(second, "INSERT INTO kept VALUES ('a'), ('b')");
    await query(cluster.url, 'CREATE TABLE kept (id text PRIMARY KEY)');
    await query(cluster.url, "INSERT INTO kept VALUES ('first')");
  });

  it('keeps committed rows through an immediate stop and a start', async () => {
    await cluster.stop('immediate');
    await expect(query(cluster.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await cluster.start();
    expect(await query(second, 'SELECT id FROM kept ORDER BY id')).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(await query(cluster.url, 'SELECT id FROM kept')).toEqual([{ id: 'first' }]);
  });

  it('destroy stops the server and removes its folder', async () => {
    const other = await startPostgres();
    expect(other.port).not.toBe(cluster.port);
    await other.destroy();
    expect(existsSync(dirname(other.dataDir))).toBe(false);
    await expect(query(other.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });
});

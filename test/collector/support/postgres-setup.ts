// globalSetup of the collector's contract suite on PostgreSQL: one throwaway cluster for the
// run, with a template database already migrated, so each test's fresh database is a quick copy.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate } from '../../../src/collector/storage/migrations';
import { openPostgres } from '../../../src/collector/storage/postgres';
import { type Cluster, startPostgres } from '../../support/postgres';

export const TEMPLATE = 'shoptrail_template';

let cluster: Cluster | undefined;

export default async function setup(project: TestProject) {
  cluster = await startPostgres();
  const url = await cluster.createDatabase(TEMPLATE);
  const db = openPostgres(pg, url, { max: 1 });
  await migrate(db);
  await db.close();
  project.provide('postgresUrl', cluster.url);
  return async () => {
    await cluster?.destroy();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

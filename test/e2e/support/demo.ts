// The demo for end-to-end tests: free ports, a temporary database, fault injection on, quiet.
// `storedEvents` reads the SQLite file read-only, as a second process would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Demo, type DemoOptions, startDemo } from '../../../demo/server';
import type { Envelope } from '../../../src/schema';
import { launchChromium } from './chromium';

export type { Demo };

/**
 * Start the demo for a test; `close()` also deletes the temporary database. Its pages let the
 * tracker send from this automated Chromium (`allowAutomation`), unless a test says otherwise.
 */
export const startTestDemo = async (opts: DemoOptions = {}): Promise<Demo> => {
  const dir = mkdtempSync(join(tmpdir(), 'shoptrail-e2e-'));
  const demo = await startDemo({ port: 0, dbPath: join(dir, 'shoptrail.db'), faults: true, quiet: true, allowAutomation: true, ...opts });
  return {
    ...demo,
    close: async () => {
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/**
 * A test demo and a Chromium for the whole test file, started in `beforeAll` and closed in
 * `afterAll`; read `env.demo` and `env.browser` inside the tests.
 */
export const useDemoAndBrowser = (opts: DemoOptions = {}): { demo: Demo; browser: Browser } => {
  const env = {} as { demo: Demo; browser: Browser };
  beforeAll(async () => {
    [env.demo, env.browser] = await Promise.all([startTestDemo(opts), launchChromium()]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.demo?.close();
  });
  return env;
};

/** The events stored for the demo's entity, in arrival order. */
export const storedEvents = (demo: Demo, where: { type?: string; anonymousId?: string } = {}): Envelope[] => {
  const db = new Database(demo.dbPath, { readonly: true, fileMustExist: true });
  try {
    const clauses = ['entity = ?'];
    const params: string[] = [demo.entity];
    if (where.type) clauses.push('type = ?'), params.push(where.type);
    if (where.anonymousId) clauses.push('anonymous_id = ?'), params.push(where.anonymousId);
    const rows = db.prepare(`SELECT envelope FROM events WHERE ${clauses.join(' AND ')} ORDER BY rowid`).all(...params) as {
      envelope: string;
    }[];
    return rows.map((row) => JSON.parse(row.envelope) as Envelope);
  } finally {
    db.close();
  }
};

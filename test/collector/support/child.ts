// Start and stop a collector in a child process (support/collectorProcess.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CollectorConfig } from '../../../src/collector/config';
import { freshStorage } from './engine';

const SCRIPT = join(import.meta.dirname, 'collectorProcess.ts');

export interface Child {
  url: string;
  stop(): Promise<void>;
}

/** A store URL of this run's engine, for a collector in another process: a SQLite file, or a fresh PostgreSQL database. */
export const childStore = async (sqliteFile: string): Promise<string> => {
  if (process.env.SHOPTRAIL_TEST_ENGINE !== 'postgres') return `sqlite:${sqliteFile}`;
  const storage = freshStorage();
  await storage.ping(); // creates and migrates it
  await storage.close();
  return storage.name;
};

export const startChild = (config: CollectorConfig, env: NodeJS.ProcessEnv = {}): Promise<Child> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: { ...process.env, ...env, SHOPTRAIL_TEST_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('exit', (code) => reject(new Error(`collector process exited ${code}: ${stderr}`)));
    child.stdout!.on('data', (d: Buffer) => {
      const url = /READY (\S+)/.exec(String(d))?.[1];
      if (url)
        resolve({
          url,
          stop: async () => {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(timer);
          },
        });
    });
  });

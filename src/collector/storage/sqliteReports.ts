// Reports on SQLite, off the main thread: better-sqlite3 answers synchronously, so a report that
// scans 400,000 events on the collector's connection holds the event loop, and every batch with
// it, for seconds. Each report runs in a worker thread on a read-only connection of its own to
// the same file (WAL lets it read while the collector writes), and is stopped at its time limit:
// the request answers at once and the worker is terminated (it stops as soon as SQLite hands a
// row back to JavaScript). A `:memory:` database cannot be opened twice: its reports stay on the
// main connection (sqlite.ts), fine for trying the collector, not for a shop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ReportsBusy, ReportTimeout } from './sql';

type Rows = Array<Array<string | number | boolean | null>>;

/** Reports running at once on one file: each holds a CPU core while it runs. */
export const MAX_REPORT_WORKERS = 2;
/** Loading the driver and opening the file, before the time limit starts. */
const STARTUP_MS = 10_000;

// Plain CommonJS, evaluated by the worker: nothing to bundle or find at run time but the driver.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.postMessage({ ready: true });
try {
  const rows = [];
  // iterate(): control comes back to JavaScript at each row, where terminate() can stop it.
  for (const row of db.prepare(workerData.sql).raw(true).iterate(...workerData.params)) rows.push(row);
  parentPort.postMessage({ rows });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message), code: error && error.code });
} finally {
  db.close();
}
`;

const driverPath = () => createRequire(import.meta.url).resolve('better-sqlite3');

const bindable = (params: unknown[]) => params.map((p) => (typeof p === 'boolean' ? Number(p) : p));

export const createReportRunner = (path: string) => {
  let running = 0;
  return (sql: string, params: unknown[], timeoutMs: number): Promise<Rows> => {
    if (running >= MAX_REPORT_WORKERS) return Promise.reject(new ReportsBusy());
    running++;
    const worker = new Worker(WORKER, { eval: true, workerData: { driver: driverPath(), path, sql, params: bindable(params) } });
    return new Promise<Rows>((resolve, reject) => {
      const stop = (error: Error) => {
        reject(error);
        void worker.terminate();
      };
      // The limit counts from the query's start; a worker that cannot even start gets as long.
      let timer = setTimeout(() => stop(new Error('report worker did not start')), STARTUP_MS);
      worker.on('message', (message: { ready?: true; rows?: Rows; error?: string; code?: string }) => {
        clearTimeout(timer);
        if (message.ready) {
          timer = setTimeout(() => stop(new ReportTimeout(timeoutMs)), timeoutMs);
          return;
        }
        if (message.rows) resolve(message.rows);
        else reject(Object.assign(new Error(message.error), { code: message.code }));
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        running--;
        reject(new Error('report worker stopped'));
      });
    });
  };
};

// Throwaway PostgreSQL clusters for tests and benches: `initdb` into a fresh temp folder, a free
// port on 127.0.0.1, `pg_ctl start -w`. No system service, no Docker. As root, the binaries run as
// the `postgres` system user (the server refuses to run as root).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports';

export { freePort };

const run = promisify(execFile);

export type StopMode = 'fast' | 'immediate';

export interface Cluster {
  /** postgres://shoptrail@127.0.0.1:PORT/shoptrail */
  url: string;
  port: number;
  dataDir: string;
  /** `pg_ctl stop`; 'immediate' is a crash: no checkpoint, recovery from the WAL at the next start. */
  stop(mode?: StopMode): Promise<void>;
  /** Start again, same port and data. */
  start(): Promise<void>;
  /** A new database in this cluster; resolves to its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stop (immediate) and remove the temp folder. */
  destroy(): Promise<void>;
}

const USER = 'shoptrail';
const isRoot = () => process.getuid?.() === 0;

/** The directory holding initdb and pg_ctl: `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export const postgresBinDir = (): string | undefined => {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  } catch {
    // no pg_config (it ships with libpq-dev, not the server): look where Debian puts servers
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
};

/** uid and gid of the `postgres` system user, or undefined when it does not exist. */
const postgresUser = (): { uid: number; gid: number } | undefined => {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid, gid };
  } catch {
    return undefined;
  }
};

/** Why no cluster can start here, or undefined when one can. */
export const postgresMissing = (): string | undefined => {
  if (!postgresBinDir())
    return 'PostgreSQL server binaries not found (no initdb via `pg_config --bindir` nor in /usr/lib/postgresql/*/bin); install with `apt-get install postgresql`';
  if (isRoot() && !postgresUser())
    return 'running as root, but there is no `postgres` system user to run the server as (the Debian `postgresql` package creates it)';
  return undefined;
};

export const havePostgres = (): boolean => postgresMissing() === undefined;

/**
 * True when a PostgreSQL suite should be skipped: only outside CI, with the reason printed once.
 * In CI (`CI` set) it is false, so startPostgres fails the suite with that reason instead.
 */
export const skipWithoutPostgres = (): boolean => {
  const missing = postgresMissing();
  if (!missing || process.env.CI) return false;
  console.warn(`skipping PostgreSQL tests: ${missing}`);
  return true;
};

/** A command line, as the postgres user when we are root. */
const asOwner = (bin: string, args: string[]): [string, string[]] => (isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);

// Clusters still running in this process: stopped on exit however the run ends.
const live = new Map<string, { pgCtl: string; dataDir: string; root: string }>();
let exitHook = false;
const registerExitHook = () => {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const { pgCtl, dataDir, root } of live.values()) {
      const [cmd, args] = asOwner(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
      try {
        execFileSync(cmd, args, { stdio: 'ignore', cwd: root, timeout: 10_000 });
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    }
  });
};

// A SIGKILLed test process runs no exit handler: a detached watchdog stops the cluster once our
// pid is gone, so a crashed run leaves no postmaster behind.
const watchdog = (pgCtl: string, dataDir: string, root: string) => {
  const [cmd, args] = asOwner(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate']);
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; [ -d '${dataDir}' ] && ${quoted} >/dev/null 2>&1; rm -rf '${root}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', cwd: '/' });
  child.unref();
  return child;
};

const settings = (port: number, socketDir: string) => `
# shoptrail test cluster
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${socketDir}'
shared_buffers = 32MB
max_connections = 100
fsync = on
synchronous_commit = on
logging_collector = off
`;

// Trust, but only from this machine's loopback and from the socket inside the private folder.
const HBA = `local all all trust
host all all 127.0.0.1/32 trust
`;

/** initdb + pg_ctl start on a free port; see Cluster. */
export const startPostgres = async (): Promise<Cluster> => {
  const missing = postgresMissing();
  if (missing) throw new Error(`startPostgres: ${missing}`);
  const bin = postgresBinDir()!;
  const pgCtl = join(bin, 'pg_ctl');
  const root = mkdtempSync(join(tmpdir(), 'shoptrail-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  const owner = isRoot() ? postgresUser()! : undefined;
  if (owner) chownSync(root, owner.uid, owner.gid);

  // Run from inside the folder: the postgres user may not be able to read the caller's cwd.
  const exec = async (file: string, args: string[]) => {
    const [cmd, argv] = asOwner(file, args);
    try {
      return await run(cmd, argv, { cwd: root, timeout: 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      let log = '';
      try {
        log = existsSync(logFile) ? execFileSync('tail', ['-n', '20', logFile], { encoding: 'utf8' }) : '';
      } catch {
        // no log yet
      }
      throw new Error(`${file.split('/').pop()} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}\n${log}`);
    }
  };

  await exec(join(bin, 'initdb'), ['-D', dataDir, '-U', USER, '-E', 'UTF8', '--locale=C', '--auth=trust']);
  writeFileSync(join(dataDir, 'pg_hba.conf'), HBA);

  let port = 0;
  const start = async () => {
    await exec(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60']);
    live.set(root, { pgCtl, dataDir, root });
  };
  // Another process may take the free port between our probe and the server's bind: try again.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    appendFileSync(join(dataDir, 'postgresql.conf'), settings(port, root));
    try {
      await start();
      break;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(root, { recursive: true, force: true });
        throw error;
      }
    }
  }
  registerExitHook();
  const guard = watchdog(pgCtl, dataDir, root);

  const urlOf = (db: string) => `postgres://${USER}@127.0.0.1:${port}/${db}`;
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  await admin((c) => c.query(`CREATE DATABASE ${USER}`));

  const stop = async (mode: StopMode = 'fast') => {
    await exec(pgCtl, ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
    live.delete(root);
  };

  return {
    url: urlOf(USER),
    port,
    dataDir,
    stop,
    start,
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`createDatabase: "${name}" is not a plain lower-case identifier`);
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      return urlOf(name);
    },
    destroy: async () => {
      if (live.has(root)) await stop('immediate').catch(() => undefined);
      guard.kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
};

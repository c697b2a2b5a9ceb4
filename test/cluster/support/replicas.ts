// Replicas of the real collector bin (`node dist/collector/cli.mjs`), as child processes that can
// be SIGKILLed and started again on the same port. Contract: `--config FILE --port N --host H`,
// JSON log lines on stdout, one with "msg":"listening" and "url"; SIGTERM shuts down gracefully.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const CLI = join(ROOT, 'dist', 'collector', 'cli.mjs');

export const requireCli = (): void => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (node esbuild.config.mjs, or npm test which builds)`);
};

export interface Replica {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  child: ChildProcess;
  /** The last lines it printed, for failure messages. */
  output(): string;
  exited: Promise<void>;
}

/** Spawn one replica and resolve once it logs "listening". */
export const startReplica = (configPath: string, port: number, timeout = 30_000): Promise<Replica> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--config', configPath, '--port', String(port), '--host', '127.0.0.1'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Keep the tail only: one log line per request adds up over a load run.
    const lines: string[] = [];
    const keep = (line: string) => {
      lines.push(line);
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    const output = () => lines.join('\n');
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replica on port ${port} did not log "listening" within ${timeout} ms:\n${output()}`));
    }, timeout);
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        keep(line);
        if (!line.includes('"listening"')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg !== 'listening') continue;
          clearTimeout(timer);
          resolve({ port, url: `http://127.0.0.1:${port}`, child, output, exited });
        } catch {
          // not JSON: keep reading
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) =>
      chunk
        .split('\n')
        .filter(Boolean)
        .forEach((l) => keep(`stderr: ${l}`)),
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`replica on port ${port} exited (${signal ?? code}) before listening:\n${output()}`));
    });
  });

/** SIGTERM, then SIGKILL if it has not exited after `grace` ms. */
export const stopReplica = async (replica: Replica, grace = 10_000): Promise<void> => {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  replica.child.kill('SIGTERM');
  const timer = setTimeout(() => replica.child.kill('SIGKILL'), grace);
  await replica.exited;
  clearTimeout(timer);
};

/** A crash: SIGKILL, resolved once the process is gone. */
export const killReplica = async (replica: Replica): Promise<void> => {
  replica.child.kill('SIGKILL');
  await replica.exited;
};

/** Poll `GET /readyz` until it answers `status`. */
export const waitReady = async (replica: Replica, status = 200, timeout = 20_000): Promise<void> => {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === status) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${replica.url}/readyz did not answer ${status} within ${timeout} ms (last: ${last})`);
};

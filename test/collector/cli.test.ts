// The built bin (dist/collector/cli.mjs) as a child process: what an operator sees.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, event } from './support/app';

const root = join(import.meta.dirname, '../..');
const CLI = join(root, 'dist/collector/cli.mjs');
const dir = mkdtempSync(join(tmpdir(), 'shoptrail-cli-'));
const WRITE_KEY = 'pk_cli_shop';
const ADMIN_KEY = 'sk_cli_shop';

const newest = (folder: string): number =>
  Math.max(
    ...readdirSync(folder, { withFileTypes: true, recursive: true })
      .filter((f) => f.isFile())
      .map((f) => statSync(join(f.parentPath, f.name)).mtimeMs),
  );

beforeAll(() => {
  // `npm test` builds first; when run alone, build when the bin is missing or older than its sources.
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(root, 'src/collector'))) {
    execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: root, stdio: 'ignore' });
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeConfig = (name: string, config: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
};

const goodConfig = () =>
  writeConfig('collector.json', {
    store: `sqlite:${join(dir, 'shoptrail.db')}`,
    entities: [{ entity: 'shop', writeKeys: [WRITE_KEY], allowedOrigins: ['*'], adminKey: ADMIN_KEY }],
  });

interface Run {
  child: ChildProcess;
  url: string;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Start the bin on a free port; resolves once it logged "listening". */
const start = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<Record<string, unknown>> = [];
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let stderr = '';
    let buffered = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const part of parts) {
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        if (line.msg === 'listening') resolve({ child, url: line.url as string, lines, exited });
      }
    });
    exited.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });

/** Run the bin to its end: exit code and stderr. */
const runToEnd = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stderr }));
  });

const post = (url: string, events: unknown[]) => fetch(`${url}/v1/batch`, { method: 'POST', body: JSON.stringify(batch(events, WRITE_KEY)) });

describe('shoptrail-collector', () => {
  it('serves health, readiness, batches and metrics, logging one JSON line per request', async () => {
    const run = await start(['--config', goodConfig()]);
    const store = `sqlite:${join(dir, 'shoptrail.db')}`;
    expect(run.lines[0]).toMatchObject({ level: 'info', msg: 'listening', stores: [store] });

    expect(await (await fetch(`${run.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${run.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', stores: [{ name: store, ok: true }] });
    const e = event('web-page-visited', undefined, { entity: 'shop' });
    expect(await (await post(run.url, [e, e])).json()).toMatchObject({ accepted: 1, duplicates: 1 });
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(metrics).toMatch(/^shoptrail_events_accepted_total 1$/m);
    expect(metrics).toMatch(/^shoptrail_events_duplicate_total 1$/m);
    expect(metrics).toMatch(/^shoptrail_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/readyz",status="200"\} 1$/m);
    expect(metrics).toMatch(/^nodejs_heap_size_used_bytes /m);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const requests = run.lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/healthz', 200],
      ['GET', '/readyz', 200],
      ['POST', '/v1/batch', 200],
      ['GET', '/metrics', 200],
    ]);
    expect(run.lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });

  it('exits 2 naming the field of a bad config, a missing file or a missing option', async () => {
    const bad = writeConfig('bad.json', {
      entities: [
        { entity: 'shop', writeKeys: ['pk'] },
        { entity: 'b', writeKeys: ['pk2'], store: 'mysql://x' },
      ],
    });
    const badRun = await runToEnd(['--config', bad]);
    expect(badRun.code).toBe(2);
    expect(badRun.stderr).toContain('collector config: entities[1].store: "mysql://x" is not a postgres:// or sqlite: URL');

    const unset = writeConfig('unset.json', { storeEnv: 'SHOPTRAIL_TEST_UNSET_DB', entities: [{ entity: 'shop', writeKeys: ['pk'] }] });
    const unsetRun = await runToEnd(['--config', unset]);
    expect(unsetRun.code).toBe(2);
    expect(unsetRun.stderr).toContain('storeEnv: environment variable SHOPTRAIL_TEST_UNSET_DB is not set');

    expect(await runToEnd(['--config', join(dir, 'missing.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
    expect(await runToEnd([])).toMatchObject({ code: 2, stderr: expect.stringContaining('--config is required') });
    expect(await runToEnd(['--config', goodConfig(), '--port', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--port must be a port number') });
  });

  it('on SIGTERM lets the request in flight finish, then exits 0', async () => {
    const run = await start(['--config', goodConfig()], { SHOPTRAIL_FAULTS: '1' });
    // Every batch now takes 1.5 s: long enough to send SIGTERM while one is in flight.
    await fetch(`${run.url}/v1/admin/faults`, { method: 'POST', body: JSON.stringify({ delayMs: 1_500 }), headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    const inFlight = post(run.url, [event('web-page-visited', undefined, { entity: 'shop' })]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1 });
    expect(await run.exited).toBe(0);
    // Stopped accepting: nothing listens any more.
    await expect(fetch(`${run.url}/healthz`)).rejects.toThrow();
    expect(run.lines.map((l) => l.msg)).toContain('shutting down: finishing requests in flight');
  });
});

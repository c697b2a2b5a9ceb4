// `npm run demo` on a port another program holds: one line naming the port and how to pick
// another, not a stack trace.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

const listening = () =>
  new Promise<{ port: number; close: () => void }>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ port, close: () => server.close() });
    });
  });

describe('the demo on a taken port', () => {
  it('says which port is taken and how to choose others', async () => {
    const [taken, free] = [await listening(), await listening()];
    free.close();
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
        env: { ...process.env, PORT: String(taken.port), COLLECTOR_PORT: String(free.port), SHOPTRAIL_DB: ':memory:' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Port ${taken.port} is already in use`);
      expect(run.stderr).toContain('PORT=9000 npm run demo');
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  });
});

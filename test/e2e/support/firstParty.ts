// A store serving Shoptrail first party (docs/integrations.md, "First-party serving"): its own
// origin serves the page, the script and its chunks under names of its choosing, and passes
// /t/e/… to the collector, as a reverse proxy (nginx, a CDN rule) or the store's server would.
// Nothing the browser asks for names "track", "analytics", "collect" or "shoptrail".
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const DIST = join(import.meta.dirname, '..', '..', '..', 'dist');

/** The store's names for the built files: `/t/s.js` and `/t/c-<chunk>.js`. */
const FILES: Record<string, string> = {
  '/t/s.js': 'shoptrail.js',
  '/t/c-background.js': 'shoptrail-background.js',
  '/t/c-capture.js': 'shoptrail-capture.js',
  '/t/c-consent.js': 'shoptrail-consent.js',
};

export interface FirstPartyStore {
  url: string;
  close(): Promise<void>;
}

const body = async (request: IncomingMessage): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
};

/** Headers the collector needs as the browser sent them: who (Origin), what (encoding), and the User-Agent it classifies. */
const FORWARDED = ['content-type', 'content-encoding', 'origin', 'user-agent'];

/** `collectorUrl` is asked per request: the collector may start after the store (it must allow the store's origin). */
export const startFirstPartyStore = async (collectorUrl: () => string, page: (origin: string) => string): Promise<FirstPartyStore> => {
  const server: Server = createServer(async (request, response) => {
    try {
      const path = new URL(request.url ?? '/', 'http://store').pathname;
      if (path.startsWith('/t/e/')) {
        const headers: Record<string, string> = {};
        for (const name of FORWARDED) if (request.headers[name]) headers[name] = String(request.headers[name]);
        const upstream = await fetch(collectorUrl() + request.url!.slice('/t/e'.length), {
          method: request.method,
          headers,
          body: request.method === 'POST' ? new Uint8Array(await body(request)) : undefined,
        });
        const retryAfter = upstream.headers.get('retry-after');
        response.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
          ...(retryAfter && { 'retry-after': retryAfter }),
        });
        response.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      if (FILES[path]) {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        response.end(await readFile(join(DIST, FILES[path]!)));
        return;
      }
      if (path === '/') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(page(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
        return;
      }
      response.writeHead(404).end();
    } catch {
      response.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

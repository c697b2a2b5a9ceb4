// The collector behind a socket: @hono/node-server on one port, cut off from clients that
// trickle their request (slowloris), and a close that drains before it closes the databases.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Collector, type CollectorOptions, createCollector } from './app';
import { createLogger } from './log';

export const DEFAULT_PORT = 8788;
export const DEFAULT_HOST = '127.0.0.1';
/** How long close() lets requests in flight finish before it cuts their connections. */
export const DRAIN_MS = 10_000;

export interface StartOptions extends CollectorOptions {
  /** 0 takes a free port. Default 8788. */
  port?: number;
  /** Default 127.0.0.1; 0.0.0.0 or :: to listen on every interface. */
  host?: string;
  drainMs?: number;
}

export interface RunningCollector {
  url: string;
  collector: Collector;
  /** Stop accepting, let requests in flight finish (at most drainMs), close the databases. */
  close(): Promise<void>;
}

const listen = (fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server)) as Server;
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    server.once('error', reject);
  });

/** server.close() waits for every connection: close idle keep-alive ones as they become idle. */
const drain = (server: Server, ms: number) =>
  new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), ms);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });

const urlOf = (server: Server) => {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
};

export const startCollector = async (options: StartOptions): Promise<RunningCollector> => {
  const { port = DEFAULT_PORT, host = DEFAULT_HOST, drainMs = DRAIN_MS, ...rest } = options;
  const log = createLogger(rest.log);
  const collector = createCollector({ ...rest, log });
  let server: Server;
  try {
    // Each database answers and is migrated before the first request: a missing driver, a
    // wrong URL or a failed migration stops the start instead of failing requests later.
    await Promise.all(collector.storages.map((storage) => storage.ping()));
    server = await listen(collector.app.fetch, port, host);
  } catch (error) {
    await collector.close();
    throw error;
  }
  if (rest.jobs !== false) collector.jobs.start();
  const url = urlOf(server);
  log.info({ url, stores: collector.storages.map((s) => s.name) }, 'listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    collector,
    close: () =>
      (closing ??= (async () => {
        await drain(server, drainMs);
        await collector.close();
      })()),
  };
};

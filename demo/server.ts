// One Node process, two origins, as in real stores: the storefront (origin A) loads the
// tracker with a script tag and sends to the collector (origin B, another port).
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { type CollectorConfig, loadConfig } from '../src/collector/config';
import { startCollector } from '../src/collector/server';
import { createStorefront } from './storefront/app';

export const DEFAULT_PORT = 8787;
export const DEFAULT_DB = join(import.meta.dirname, 'data', 'shoptrail.db');
export const DEMO_CONFIG = join(import.meta.dirname, 'config', 'collector.json');
const HOST = '127.0.0.1';

export interface DemoOptions {
  /** Storefront port; 0 takes a free one (and the collector too). Default 8787. */
  port?: number;
  /** Collector port; default port + 1, or a free one when port is 0. */
  collectorPort?: number;
  /** SQLite file; default demo/data/shoptrail.db. */
  dbPath?: string;
  /** Enable fault injection (POST/DELETE /v1/admin/faults). */
  faults?: boolean;
  /** No collector logs (a JSON line per request, errors). */
  quiet?: boolean;
  /** Folder of extra test pages, served under /test/. */
  extraRoot?: string;
  /** Keys, origins and allowances; default demo/config/collector.json. */
  config?: CollectorConfig;
  /** Let the tracker send from automated browsers (the end-to-end tests' Chromium). */
  allowAutomation?: boolean;
}

export interface Demo {
  storeUrl: string;
  collectorUrl: string;
  adminKey: string;
  writeKey: string;
  entity: string;
  dbPath: string;
  close(): Promise<void>;
}

/** The storefront's server; the collector listens through startCollector, as the bin does. */
const listen = (fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<ServerType> =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: HOST }, () => resolve(server));
    // A client that trickles its request (slowloris) is cut off instead of held forever.
    (server as Server).requestTimeout = 30_000;
    (server as Server).headersTimeout = 10_000;
    server.once('error', reject);
  });

const portOf = (server: ServerType) => (server.address() as AddressInfo).port;

const closeServer = (server: ServerType) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets of browsers would hold close() open.
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });

export const startDemo = async (options: DemoOptions = {}): Promise<Demo> => {
  const port = options.port ?? DEFAULT_PORT;
  const collectorPort = options.collectorPort ?? (port === 0 ? 0 : port + 1);
  const dbPath = options.dbPath ?? DEFAULT_DB;
  const config = options.config ?? loadConfig(DEMO_CONFIG);
  const entity = config.entities[0]!;
  const writeKey = entity.writeKeys[0]!;

  const running = await startCollector({
    config,
    dbPath,
    port: collectorPort,
    host: HOST,
    faults: options.faults ?? false,
    log: !options.quiet,
    // The demo and its tests close at once, as before: browsers' keep-alive sockets are cut.
    drainMs: 0,
  });
  const collector = running.collector;
  try {
    const collectorUrl = running.url;
    // Printed by `npm run demo` for signing in to the console at <collectorUrl>/admin/; never put in a page.
    const adminKey = collector.keys.adminKeyOf(entity.entity)!;
    const shop = createStorefront({
      collectorUrl,
      writeKey,
      entity: entity.entity,
      extraRoot: options.extraRoot,
      allowAutomation: options.allowAutomation,
    });
    const shopServer = await listen(shop.fetch, port);
    const storePort = portOf(shopServer);
    const storeUrl = `http://${HOST}:${storePort}`;
    // The storefront's origin is only known now, when the port is free-chosen.
    collector.keys.allowOrigin(entity.entity, storeUrl);
    collector.keys.allowOrigin(entity.entity, `http://localhost:${storePort}`);
    if (!options.quiet && !existsSync(join(import.meta.dirname, '..', 'dist', 'shoptrail.js'))) {
      console.warn('dist/shoptrail.js is missing: run `npm run build` so the pages can load the tracker');
    }
    return {
      storeUrl,
      collectorUrl,
      adminKey,
      writeKey,
      entity: entity.entity,
      dbPath,
      close: async () => {
        await Promise.all([closeServer(shopServer), running.close()]);
      },
    };
  } catch (error) {
    await running.close();
    throw error;
  }
};

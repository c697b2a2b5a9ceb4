// `shoptrail-collector --config collector.json [--port N] [--host H]`: the collector as a
// process. Exit codes: 0 after a graceful stop, 2 for a usage or config mistake, 1 otherwise.
import { parseArgs } from 'node:util';
import { type CollectorConfig, isConfigError, loadConfig } from './config';
import { MissingDriverError } from './drivers';
import { DEFAULT_HOST, DEFAULT_PORT, type RunningCollector, startCollector } from './server';

const USAGE = `Usage: shoptrail-collector --config collector.json [--port N] [--host H]

Runs the Shoptrail collector: POST /v1/batch for the tracker, the admin reads,
/healthz, /readyz and /metrics. Logs are JSON lines on stdout.

Options:
  -c, --config FILE   the collector config (entities, keys, store); required
  -p, --port N        port to listen on (default: $PORT, else ${DEFAULT_PORT}; 0 = any free port)
      --host H        address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for every interface)
  -h, --help          this help

Environment:
  PORT                the port, when --port is not given
  SHOPTRAIL_FAULTS=1  allow POST/DELETE /v1/admin/faults (staged outages, for tests)
  and the variables the config names in adminKeyEnv and storeEnv.

Stops gracefully on SIGTERM or SIGINT: finishes the requests in flight (at most 10 s),
closes the databases, exits 0.
`;

const die = (message: string, code: number): never => {
  process.stderr.write(`shoptrail-collector: ${message}\n`);
  process.exit(code);
};

const parsePort = (value: string, from: string): number => {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) die(`${from} must be a port number 0–65535, got "${value}"`, 2);
  return port;
};

const args = (() => {
  try {
    return parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return die(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
})();

if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!args.config) die(`--config is required\n\n${USAGE}`, 2);

const port = args.port !== undefined ? parsePort(args.port, '--port') : process.env.PORT ? parsePort(process.env.PORT, 'PORT') : DEFAULT_PORT;

let config: CollectorConfig;
try {
  config = loadConfig(args.config!);
} catch (error) {
  die(isConfigError(error) ? (error as Error).message : `collector config: ${(error as Error).message}`, 2);
}

let running: RunningCollector;
try {
  running = await startCollector({ config: config!, port, host: args.host ?? DEFAULT_HOST, faults: process.env.SHOPTRAIL_FAULTS === '1' });
} catch (error) {
  if (error instanceof MissingDriverError) die(error.message, 1);
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') die(`port ${port} is already in use on ${args.host ?? DEFAULT_HOST}`, 1);
  if (code === 'EACCES') die(`not allowed to listen on port ${port}`, 1);
  die(`cannot start: ${message}`, 1);
}
const log = running!.collector.log;

if (!config!.store && config!.entities.some((e) => !e.store)) {
  log.warn('no "store" in the config: events are kept in memory and lost when the process stops (set "store": "sqlite:shoptrail.db" or a postgres:// URL)');
}
// A generated admin key is never logged (logs travel far): say that reads are closed instead.
for (const e of config!.entities) {
  if (e.adminKey === undefined && !(e.adminKeyEnv && process.env[e.adminKeyEnv])) {
    const how = e.adminKeyEnv ? `set ${e.adminKeyEnv}` : 'set "adminKey" or "adminKeyEnv"';
    log.warn({ entity: e.entity }, `no admin key for entity "${e.entity}": admin reads are closed until you ${how}`);
  }
}

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  // A second signal means "now": skip the drain.
  if (stopping) {
    log.warn({ signal }, 'stopping now');
    log.flush();
    process.exit(1);
  }
  stopping = true;
  log.info({ signal }, 'shutting down: finishing requests in flight');
  try {
    await running.close();
    log.info('stopped');
    log.flush();
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, 'error while stopping');
    log.flush();
    process.exit(1);
  }
};
// A crash is a log line too (then systemd's Restart=on-failure or the orchestrator restarts it).
const crash = (error: unknown) => {
  log.fatal({ err: error }, 'crashed');
  log.flush();
  process.exit(1);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

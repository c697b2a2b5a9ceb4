// `npm run demo`: the storefront and the collector in one process, with a SQLite file.
// Env: PORT (8787; collector on PORT+1), COLLECTOR_PORT, SHOPTRAIL_DB, SHOPTRAIL_FAULTS=1,
// SHOPTRAIL_ADMIN_KEY (else one is generated and printed), SHOPTRAIL_ALLOW_AUTOMATION=1 (the
// tracker sends from automated browsers too: end-to-end tests).
import { relative } from 'node:path';
import { DEFAULT_DB, DEFAULT_PORT, startDemo } from './server';

const port = (name: string, fallback?: number): number | undefined => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number, got "${value}"`);
    process.exit(1);
  }
  return n;
};

/** A path relative to here when it is below here. */
const shortPath = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));

/** Start, or say in one line why not: a taken port is a common first-run surprise. */
const start = async () => {
  try {
    return await startDemo({
      port: port('PORT', DEFAULT_PORT),
      collectorPort: port('COLLECTOR_PORT'),
      dbPath: process.env.SHOPTRAIL_DB || DEFAULT_DB,
      faults: process.env.SHOPTRAIL_FAULTS === '1',
      allowAutomation: process.env.SHOPTRAIL_ALLOW_AUTOMATION === '1',
    });
  } catch (error) {
    const { code, port: taken } = error as NodeJS.ErrnoException & { port?: number };
    if (code !== 'EADDRINUSE') throw error;
    console.error(
      `Port ${taken} is already in use (another demo still running?). Pick others: PORT=9000 npm run demo (the collector takes PORT+1, or COLLECTOR_PORT).`,
    );
    process.exit(1);
  }
};
const demo = await start();

const faults = process.env.SHOPTRAIL_FAULTS === '1';
console.log(`
  Shoptrail demo

  Storefront   ${demo.storeUrl}/          open this in a browser and click around
  Sandbox      ${demo.storeUrl}/sandbox.html   a bare page with only the script tag
  Console      ${demo.collectorUrl}/admin/   usage, right now, content, profiles, reports, export (sign in with the admin key)
  Collector    ${demo.collectorUrl}/v1/batch
  Database     ${shortPath(demo.dbPath)}  (SQLite, WAL)
  Entity       ${demo.entity}   write key ${demo.writeKey}
  Admin key    ${demo.adminKey}
  Events       curl -H 'Authorization: Bearer ${demo.adminKey}' ${demo.collectorUrl}/v1/events?limit=20
  Usage        curl -H 'Authorization: Bearer ${demo.adminKey}' ${demo.collectorUrl}/v1/usage
  Faults       ${faults ? `on: curl -X POST -d '{"status":503,"forMs":10000}' ${demo.collectorUrl}/v1/admin/faults` : 'off (SHOPTRAIL_FAULTS=1 to stage outages)'}
`);
console.log('ready');

const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Chaos: the collector process dies (SIGKILL, no goodbye) while a flush is on the wire, stays
// down while the shopper keeps tracking, and comes back on the same ports and database — then
// loses answers after storing batches (storeThenFail). Every event must end up stored once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../../demo/server';
import {
  allStored,
  type DemoProcess,
  drained,
  expectStoredOnce,
  freePort,
  ready,
  report,
  resent,
  setFaults,
  spawnDemo,
  trackMany,
  watchBatches,
} from '../support/chaos';
import { launchChromium } from '../support/chromium';
import { waitFor } from '../support/poll';

let browser: Browser;
let dir: string;
let running: DemoProcess | undefined;
let env: Record<string, string>;
let demo: Demo;

/** Start `npm run demo`'s entry as a child and describe it like startDemo would. */
const start = async (): Promise<DemoProcess> => {
  const child = await spawnDemo(env);
  const entity = /Entity\s+(\S+)\s+write key\s+(\S+)/.exec(child.output());
  if (!entity) throw new Error(`no entity line in the demo's output:\n${child.output()}`);
  demo = {
    storeUrl: `http://127.0.0.1:${env.PORT}`,
    collectorUrl: `http://127.0.0.1:${env.COLLECTOR_PORT}`,
    adminKey: env.SHOPTRAIL_ADMIN_KEY!,
    entity: entity[1]!,
    writeKey: entity[2]!,
    dbPath: env.SHOPTRAIL_DB!,
    close: async () => {},
  };
  return child;
};

const kill = async () => {
  const child = running!;
  running = undefined;
  child.child.kill('SIGKILL');
  await child.exited;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoptrail-chaos-'));
  const [port, collectorPort] = [await freePort(), await freePort()];
  env = {
    PORT: String(port),
    COLLECTOR_PORT: String(collectorPort),
    SHOPTRAIL_DB: join(dir, 'shoptrail.db'),
    SHOPTRAIL_FAULTS: '1',
    SHOPTRAIL_ADMIN_KEY: `admin-chaos-${process.pid}`,
    SHOPTRAIL_ALLOW_AUTOMATION: '1', // this Chromium is automated: let the tracker send
  };
  [running, browser] = await Promise.all([start(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  if (running) await kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('chaos: collector process killed', () => {
  it('stores everything once when the collector is killed mid-flush, restarted, then loses answers', async () => {
    const context = await browser.newContext();
    const seen = watchBatches(context);
    // The bare sandbox page, flushing every 250 ms like the other test pages: the attributes are
    // added as the tag is parsed (a routed, rewritten page would lose its loopback address
    // space, and Chromium would then block its requests to the collector).
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const tag = document.querySelector<HTMLScriptElement>('script[data-endpoint]');
        if (!tag) return;
        tag.dataset.flushInterval = '250';
        tag.dataset.guardMode = 'observe'; // as on the other test pages: no cost guard drops test bursts
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    await page.goto(`${demo.storeUrl}/sandbox.html`);
    await ready(page);
    await drained(page);

    // A slow collector, so the kill lands while a batch is on the wire.
    await setFaults(demo, { delayMs: 1500 });
    await trackMany(page, 'collector-kill', 300);
    await waitFor(() => seen.some((batch) => batch.status === undefined && !batch.failed && batch.text.includes('"run":"collector-kill"')), {
      message: 'no flush in flight',
    });
    await kill();
    // Down: tracking goes on, and delivery attempts fail.
    await trackMany(page, 'collector-kill', 100, 300);
    await waitFor(() => seen.some((batch) => batch.failed), { message: 'no request failed while the collector was down' });
    const failed = seen.filter((batch) => batch.failed).length;

    // Back, but the next two batches are stored and their answers lost. Until that fault is set,
    // the browser keeps finding the port closed, so no retry slips in between.
    await context.route('**/v1/batch*', (route) => route.abort('connectionrefused'));
    running = await start();
    await setFaults(demo, { storeThenFail: true, status: 503, retryAfter: 1, count: 2 });
    await context.unroute('**/v1/batch*');
    const counts = await allStored(demo, 'collector-kill', 400, 40_000);
    await drained(page, 30_000);
    expectStoredOnce(demo, 'collector-kill', 400);
    expect(resent(seen)).toBeGreaterThan(0);
    report('chaos collector-killed', counts, { kills: 1, 'failed requests': failed, resent: resent(seen) });
    await context.close();
  });
});

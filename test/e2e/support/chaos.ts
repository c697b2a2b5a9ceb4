// Helpers for the delivery and chaos suites: track numbered events in a page, watch the batch
// requests the browser sends, stage collector faults, and count what the collector stored.
// Every scenario tracks `custom-event`s named "chaos" with properties { run, seq }, so lost and
// duplicated events can be told apart from everything else the tracker sends.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { expect } from 'vitest';
import type { FaultSpec } from '../../../src/collector/faults';
import type { Demo } from '../../../demo/server';
import type { Envelope } from '../../../src/schema';
import type { Tracker } from '../../../src/types';
import { freePort } from '../../support/ports';
import { storedEvents } from './demo';

export { freePort };
import { waitFor } from './poll';

export const PAGES = join(import.meta.dirname, '..', 'pages');

/** A page of test/e2e/pages, as the storefront serves it. */
export const pageUrl = (demo: Pick<Demo, 'storeUrl'>, name: string): string => new URL(`/test/${name}`, demo.storeUrl).href;

type WithTracker = { shoptrail: Tracker & { loaded?: boolean } };

/** Open a page and wait until its script tag has started the tracker. */
export const openPage = async (context: BrowserContext, url: string, page?: Page): Promise<Page> => {
  const p = page ?? (await context.newPage());
  await p.goto(url);
  await ready(p);
  return p;
};

export const ready = async (page: Page): Promise<void> => {
  await page.waitForFunction(() => (window as unknown as WithTracker).shoptrail?.loaded === true);
};

export interface Tracked {
  /** Main-thread time of one track() call, in µs. */
  usPerCall: number;
  failed: number;
}

/**
 * Track `count` "chaos" events numbered from `from`; `padding` adds that many characters to each.
 * Every call must be accepted (the test pages run the guards in observe mode): a refusal throws,
 * naming the first result, so a scenario never blames delivery for events never queued.
 */
export const trackMany = async (page: Page, run: string, count: number, from = 0, padding = 0): Promise<Tracked> => {
  const [tracked, refusal] = await page.evaluate(
    ([run, count, from, padding]) => {
      const { shoptrail } = window as unknown as WithTracker;
      const filler = 'x'.repeat(padding);
      let failed = 0;
      let first = '';
      const start = performance.now();
      for (let seq = from; seq < from + count; seq++) {
        const properties = padding ? { run, seq, filler } : { run, seq };
        const result = shoptrail.track('custom-event', { name: 'chaos', properties });
        if (!result.ok && !failed++) first = JSON.stringify(result);
      }
      return [{ usPerCall: ((performance.now() - start) * 1000) / count, failed }, first] as const;
    },
    [run, count, from, padding] as const,
  );
  if (tracked.failed) throw new Error(`track() refused ${tracked.failed} of ${count} "${run}" events, the first with ${refusal}`);
  return tracked;
};

/** What the tracker holds: events waiting and where (IndexedDB or memory). */
export const queueOf = (page: Page) => page.evaluate(async () => (await (window as unknown as WithTracker).shoptrail.usage()).queue);

/** Wait until the page's queue is empty, i.e. every event was acknowledged. */
export const drained = (page: Page, timeout = 20_000) => waitFor(async () => (await queueOf(page)).size === 0, { timeout, message: 'the queue did not drain' });

export interface Tally {
  tracked: number;
  /** Rows stored for this run. */
  stored: number;
  /** Rows beyond the first for one (run, seq). */
  duplicates: number;
  /** Numbers in [0, tracked) with no row. */
  lost: number;
}

/** The stored "chaos" events of one run. */
export const storedRun = (demo: Demo, run: string): Envelope[] =>
  storedEvents(demo, { type: 'custom-event' }).filter((event) => (event.body as { properties?: { run?: string } }).properties?.run === run);

export const tally = (demo: Demo, run: string, tracked: number): Tally => {
  const events = storedRun(demo, run);
  const seqs = new Set(events.map((event) => (event.body as { properties: { seq: number } }).properties.seq));
  let lost = 0;
  for (let seq = 0; seq < tracked; seq++) if (!seqs.has(seq)) lost++;
  return { tracked, stored: events.length, duplicates: events.length - seqs.size, lost };
};

/** Assert the promise of every scenario: each of the `tracked` events of `run` stored exactly once. */
export const expectStoredOnce = (demo: Demo, run: string, tracked: number): void => {
  expect(tally(demo, run, tracked)).toEqual({ tracked, stored: tracked, duplicates: 0, lost: 0 });
};

/** Wait until every tracked event is stored; returns the counts then. */
export const allStored = async (demo: Demo, run: string, tracked: number, timeout = 20_000): Promise<Tally> => {
  try {
    return await waitFor<Tally>(
      () => {
        const counts = tally(demo, run, tracked);
        return (counts.lost === 0 && counts) as Tally;
      },
      { timeout, message: `${run}: not all ${tracked} events were stored` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(tally(demo, run, tracked))}`);
  }
};

/** The collector's own receive time of each stored event (epoch ms), by id. */
export const receivedAt = (demo: Demo, ids: string[]): Map<string, number> => {
  const db = new Database(demo.dbPath, { readonly: true, fileMustExist: true });
  try {
    const read = db.prepare('SELECT received_at FROM events WHERE id = ?');
    return new Map(ids.map((id) => [id, Date.parse((read.get(id) as { received_at: string }).received_at)]));
  } finally {
    db.close();
  }
};

/** The one-line summary every scenario prints. */
export const report = (name: string, counts: Tally, extra: Record<string, number | string> = {}): void => {
  const more = Object.entries(extra)
    .map(([key, value]) => ` ${key} ${value}`)
    .join('');
  console.log(`${name}: tracked ${counts.tracked} stored ${counts.stored} duplicates ${counts.duplicates}${more}`);
};

export interface SeenBatch {
  /** When the browser issued the request: its own record once answered, else Node's clock at the event. */
  at: number;
  method: string;
  url: string;
  /** The decoded request body (gunzipped when the query string says gzip). */
  text: string;
  /** Event ids in the batch. */
  ids: string[];
  /** Body bytes on the wire. */
  wireBytes: number;
  status?: number;
  /** Duplicates the collector reported in a 2xx answer: events resent after a lost answer. */
  duplicates?: number;
  failed?: string;
}

const decode = (request: Request): string => {
  const body = request.postDataBuffer();
  if (!body) return '';
  return (new URL(request.url()).searchParams.get('encoding') === 'gzip' ? gunzipSync(body) : body).toString('utf8');
};

/** Record every request to the collector's batch path made by pages of `context`. */
export const watchBatches = (context: BrowserContext): SeenBatch[] => {
  const seen: SeenBatch[] = [];
  const byRequest = new Map<Request, SeenBatch>();
  context.on('request', (request) => {
    if (!request.url().includes('/v1/batch')) return;
    const text = request.method() === 'POST' ? decode(request) : '';
    let ids: string[] = [];
    try {
      ids = (JSON.parse(text) as { events: Array<{ id: string }> }).events.map((event) => event.id);
    } catch {
      // not a batch body (a preflight, or a body we cannot read): recorded without ids
    }
    const batch: SeenBatch = { at: Date.now(), method: request.method(), url: request.url(), text, ids, wireBytes: request.postDataBuffer()?.length ?? 0 };
    byRequest.set(request, batch);
    seen.push(batch);
  });
  context.on('response', async (response) => {
    const batch = byRequest.get(response.request());
    if (!batch) return;
    batch.status = response.status();
    // The browser's own start time: Node may see the events late when the machine is busy.
    const { startTime } = response.request().timing();
    if (startTime > 0) batch.at = startTime;
    try {
      const body = (await response.json()) as { duplicates?: number };
      if (typeof body.duplicates === 'number') batch.duplicates = body.duplicates;
    } catch {
      // the page went away before the body could be read
    }
  });
  context.on('requestfailed', (request) => {
    const batch = byRequest.get(request);
    if (batch) batch.failed = request.failure()?.errorText ?? 'failed';
  });
  return seen;
};

/** Events resent after an answer was lost, as the collector's dedupe counted them. */
export const resent = (seen: SeenBatch[]): number => seen.reduce((sum, batch) => sum + (batch.duplicates ?? 0), 0);

const admin = (demo: Pick<Demo, 'collectorUrl' | 'adminKey'>, method: string, body?: FaultSpec) =>
  fetch(new URL('/v1/admin/faults', demo.collectorUrl), {
    method,
    headers: { Authorization: `Bearer ${demo.adminKey}`, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  }).then((response) => {
    if (!response.ok) throw new Error(`${method} /v1/admin/faults: HTTP ${response.status}`);
  });

/** Make the collector misbehave (see contract 3). */
export const setFaults = (demo: Pick<Demo, 'collectorUrl' | 'adminKey'>, faults: FaultSpec) => admin(demo, 'POST', faults);
export const clearFaults = (demo: Pick<Demo, 'collectorUrl' | 'adminKey'>) => admin(demo, 'DELETE');

export interface DemoProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/** `demo/main.ts` (what `npm run demo` runs) as a child process, so it can really be killed; resolves on its `ready` line. */
export const spawnDemo = (env: Record<string, string>, timeout = 30_000): Promise<DemoProcess> => {
  const root = join(import.meta.dirname, '..', '..', '..');
  // Node with tsx's loader, one process: the `tsx` command would run the server in a child of
  // its own, which a SIGKILL of the command leaves running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not print "ready" within ${timeout} ms:\n${text}`));
    }, timeout);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (/^ready\b/m.test(text)) {
        clearTimeout(timer);
        resolve({ child, output: () => text, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code} before "ready":\n${text}`));
    });
  });
};

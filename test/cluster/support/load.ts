// The client side of the replica scenarios: real-looking batches, a sender that retries a batch
// on the next replica until one acknowledges it (as the browser's queue does), and a reader that
// pages through GET /v1/events with the admin key.
import { randomUUID } from 'node:crypto';

export const ORIGIN = 'http://shop.test';
/** A shopper's browser: with an Origin, the collector classifies the User-Agent, and Node's own ("node") is a bot's. */
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

export interface EntitySpec {
  entity: string;
  writeKey: string;
  adminKey: string;
  store: string;
}

/** The collector.json the replicas share: one database per entity, limits out of the way. */
export const collectorConfig = (entities: EntitySpec[]) => ({
  entities: entities.map((e) => ({
    entity: e.entity,
    writeKeys: [e.writeKey],
    allowedOrigins: ['*'],
    adminKey: e.adminKey,
    allowance: 1_000_000,
    store: e.store,
  })),
  // The per-key budgets are not what these scenarios (and the ingest bench) test; the database is.
  rateLimit: { perSecond: 100_000, burst: 100_000, eventsPerSecond: 1e9, eventsBurst: 1e9, bytesPerSecond: 1e12, bytesBurst: 1e12 },
});

/** One envelope; every 5th is web-vitals, which is free (not billed). */
export const envelope = (entity: string, n: number) => {
  const page = { url: `https://shop.test/p/${n % 40}`, path: `/p/${n % 40}`, title: 'Linen shirt', referrer: '' };
  const free = n % 5 === 4;
  return {
    id: randomUUID() as string,
    type: free ? 'web-vitals' : 'web-page-visited',
    v: 1,
    entity,
    anonymousId: `anon-${n % 53}`,
    sessionId: `session-${n % 17}`,
    createdAt: new Date().toISOString(),
    context: { page, library: { name: 'shoptrail', version: 'cluster-test' } },
    body: free ? { name: 'LCP', value: 900 + (n % 700), rating: 'good' } : { url: page.url, referrer: '' },
  };
};

export type Envelope = ReturnType<typeof envelope>;

export const batchOf = (writeKey: string, events: Envelope[]) => ({
  writeKey,
  sentAt: new Date().toISOString(),
  batchId: randomUUID(),
  events,
});

export interface BatchReply {
  accepted: number;
  duplicates: number;
  rejected: { id: string; error: string }[];
  usage: { used: number; allowance: number };
  /** Events in the batch sent (added here, not by the collector). */
  sent: number;
}

/** What the senders saw, for assertions and for failure messages. */
export class Stats {
  statuses = new Map<string, number>();
  /** 503 answers and how many of them carried Retry-After. */
  unavailable = 0;
  unavailableWithRetryAfter = 0;
  connectionErrors = 0;
  replies: BatchReply[] = [];
  count(what: string) {
    this.statuses.set(what, (this.statuses.get(what) ?? 0) + 1);
  }
  summary() {
    return Object.fromEntries(this.statuses);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * POST one batch to `urls[first]`; on a connection error, a 5xx, a 408 or a 429, send the same
 * batch to the next replica (after Retry-After, capped so the test stays short) until one
 * answers 200. Any other 4xx is a bug here, so it throws.
 */
export const deliver = async (body: string, urls: string[], first: number, stats: Stats, giveUpAfter = 45_000): Promise<BatchReply> => {
  const deadline = Date.now() + giveUpAfter;
  let last = '';
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const url = urls[(first + attempt) % urls.length]!;
    let wait = 50;
    try {
      const response = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'text/plain', Origin: ORIGIN, 'User-Agent': BROWSER_UA },
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      stats.count(String(response.status));
      if (response.status === 200) {
        const reply = { ...(JSON.parse(text) as BatchReply), sent: (JSON.parse(body) as { events: unknown[] }).events.length };
        stats.replies.push(reply);
        return reply;
      }
      last = `${response.status} ${text.slice(0, 200)}`;
      const retryAfter = response.headers.get('Retry-After');
      if (response.status === 503) {
        stats.unavailable++;
        if (retryAfter !== null) stats.unavailableWithRetryAfter++;
      }
      if (response.status < 500 && response.status !== 408 && response.status !== 429) {
        throw new Error(`batch refused by ${url}: ${last}`);
      }
      if (retryAfter !== null) wait = Math.min(Number(retryAfter) * 1000 || 50, 250);
    } catch (error) {
      if ((error as Error).message.startsWith('batch refused')) throw error;
      stats.count('connection error');
      stats.connectionErrors++;
      last = String((error as Error).cause ?? error);
    }
    await sleep(wait);
  }
  throw new Error(`batch not acknowledged by any replica within ${giveUpAfter} ms (last: ${last}); seen ${JSON.stringify(stats.summary())}`);
};

export const readEvents = async (url: string, adminKey: string, after: string, limit: number): Promise<Envelope[]> => {
  const response = await fetch(`${url}/v1/events?limit=${limit}&after=${encodeURIComponent(after)}`, {
    headers: { Authorization: `Bearer ${adminKey}` },
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status !== 200) throw new Error(`GET /v1/events: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { events: Envelope[] }).events;
};

/** Every event an admin key reads, page by page with the `after` cursor. */
export const readAll = async (url: string, adminKey: string, limit = 10_000): Promise<Envelope[]> => {
  const all: Envelope[] = [];
  for (let after = ''; ; ) {
    const page = await readEvents(url, adminKey, after, limit);
    all.push(...page);
    if (page.length < limit) return all;
    after = page[page.length - 1]!.id;
  }
};

/** Ids seen more than once. */
export const repeated = (ids: string[]): string[] => {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
};

/** Run `jobs` with `width` workers; a job may push more jobs while they run. */
export const pool = async (jobs: (() => Promise<void>)[], width: number): Promise<void> => {
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await job();
  };
  await Promise.all(Array.from({ length: width }, worker));
};

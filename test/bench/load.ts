// The load generator for the collector's ingest rate, run as a separate process so the
// collector's own process does nothing but ingest. Bounded: `--events` in batches of
// `--batch`, `--concurrency` requests in flight, and a hard time limit; then it prints one
// JSON line { events, accepted, requests, failed, ms } and exits.
import { randomUUID } from 'node:crypto';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const endpoint = arg('endpoint', '');
const writeKey = arg('write-key', '');
const entity = arg('entity', '-');
const origin = arg('origin', '');
const total = Number(arg('events', '20000'));
const batchSize = Number(arg('batch', '100'));
const concurrency = Number(arg('concurrency', '4'));
const limitMs = Number(arg('limit-ms', '30000'));

if (!endpoint.startsWith('http://127.0.0.1:') && !endpoint.startsWith('http://localhost:')) {
  console.error('load.ts only sends to a collector on loopback');
  process.exit(2);
}

const anonymousId = randomUUID();
const sessionId = randomUUID();
const event = (n: number) => ({
  id: randomUUID(),
  type: 'custom-event',
  v: 1,
  entity,
  anonymousId,
  sessionId,
  createdAt: new Date().toISOString(),
  context: {
    page: { url: 'http://127.0.0.1/bench', path: '/bench', title: 'bench', referrer: '' },
    locale: 'en-GB',
    library: { name: 'shoptrail', version: 'bench' },
  },
  body: { name: 'ingest', properties: { bench_n: n } },
});

let next = 0;
let accepted = 0;
let requests = 0;
let failed = 0;
const started = Date.now();

const worker = async () => {
  while (next < total && Date.now() - started < limitMs) {
    const from = next;
    next = Math.min(total, next + batchSize);
    const events = Array.from({ length: next - from }, (_, i) => event(from + i));
    const body = JSON.stringify({ writeKey, sentAt: new Date().toISOString(), batchId: randomUUID(), events });
    requests += 1;
    try {
      const res = await fetch(`${endpoint}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
        body,
      });
      const answer = (await res.json().catch(() => ({}))) as { accepted?: number };
      if (res.ok) accepted += answer.accepted ?? 0;
      else failed += 1;
    } catch {
      failed += 1;
    }
  }
};

await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ events: next, accepted, requests, failed, ms: Date.now() - started }));

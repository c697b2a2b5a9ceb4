// The load for `npm run bench:ingest`, in its own process so the collector's process does
// nothing but ingest: `requests` batches of `batch` valid events, `concurrency` in flight,
// gzip like the tracker (or not). Bodies are built before the clock starts. Prints one JSON line.
// `endpoint` may list several collectors, comma-separated: requests go round-robin, as a load
// balancer would spread them over replicas.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const [endpoint, writeKey, entity, origin, requests, batch, concurrency, gzip] = process.argv.slice(2);
const endpoints = (endpoint ?? '').split(',');
if (!endpoints.every((e) => /^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(e))) {
  console.error('ingestClient only sends to a collector on loopback');
  process.exit(2);
}

const event = (n) => ({
  id: randomUUID(),
  type: n % 10 === 0 ? 'search' : 'product-visited',
  v: 1,
  entity,
  anonymousId: `bench-${n % 97}`,
  sessionId: `session-${n % 31}`,
  createdAt: new Date().toISOString(),
  context: {
    page: { url: `https://shop.example/p/linen-shirt-${n % 50}`, path: `/p/linen-shirt-${n % 50}`, title: 'Linen shirt', referrer: '' },
    library: { name: 'shoptrail', version: 'bench' },
  },
  body:
    n % 10 === 0
      ? { query: 'linen shirt', resultCount: 12 }
      : { productId: `sku-${n % 50}`, name: 'Linen shirt', price: 49.9, currency: 'EUR', url: `https://shop.example/p/linen-shirt-${n % 50}`, imageUrl: '' },
});

const total = Number(requests);
const size = Number(batch);
const zipped = gzip === 'gzip';
const bodies = Array.from({ length: total }, (_, r) => {
  const json = JSON.stringify({ writeKey, sentAt: new Date().toISOString(), batchId: randomUUID(), events: Array.from({ length: size }, (_, i) => event(r * size + i)) });
  return zipped ? gzipSync(json) : json;
});
const urls = endpoints.map((e) => `${e}/v1/batch${zipped ? '?encoding=gzip' : ''}`);

const latencies = [];
let accepted = 0;
let failed = 0;
let next = 0;
const started = performance.now();
const worker = async () => {
  while (next < total) {
    const n = next++;
    const body = bodies[n];
    const t = performance.now();
    try {
      const response = await fetch(urls[n % urls.length], { method: 'POST', body, headers: { 'Content-Type': 'text/plain', Origin: origin } });
      const reply = await response.json();
      if (response.ok) accepted += reply.accepted;
      else failed += 1;
    } catch {
      failed += 1;
    }
    latencies.push(performance.now() - t);
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const ms = performance.now() - started;
latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(JSON.stringify({ requests: total, events: total * size, accepted, failed, ms, p50: pick(0.5), p99: pick(0.99) }));

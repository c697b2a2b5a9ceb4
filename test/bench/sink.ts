// A local sink that stands in for every peer SDK's cloud: it answers each SDK's endpoints with
// 200 (and CORS), and counts requests, bytes and events. One sink per SDK, each on its own free
// port on 127.0.0.1, so counts never mix. Events are recognised by their `bench_n` property,
// found wherever each SDK's body format puts it (JSON, form-encoded base64, gzip, query string).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Sink {
  url: string;
  /** Requests that carried at least one bench event, and all requests to data endpoints. */
  stats: () => { requests: number; bytes: number; received: number; delivered: number; duplicates: number };
  /** Distinct bench numbers received in [from, to), and how many arrived more than once. */
  range: (from: number, to: number) => { delivered: number; duplicates: number };
  /** Answer 503 to every data request until `outage(false)`. */
  outage: (on: boolean) => void;
  reset: () => void;
  close: () => Promise<void>;
}

/** Minimal settings answered to Segment's CDN; it sends events back to this sink. */
const segmentSettings = (host: string) => ({
  integrations: { 'Segment.io': { apiKey: 'bench', apiHost: `${host}/v1`, protocol: 'http' } },
  plan: { track: { __default: { enabled: true } } },
  edgeFunction: {},
  analyticsNextEnabled: true,
});

/** Minimal source config answered to RudderStack's config endpoint. */
const rudderConfig = {
  source: { id: 'bench', name: 'bench', workspaceId: 'bench', enabled: true, config: {}, destinations: [] },
};

const DATA_PATHS = [
  /^\/(e|batch|capture|track|engage|s)\/?$/, // PostHog
  /^\/i\/v0\/e\/?$/, // PostHog
  /^\/v1\/(batch|b|t|track|i|identify|p|page)\/?$/, // Segment (b: its batching), RudderStack, Shoptrail
  /^\/com\.snowplowanalytics\.snowplow\/tp2$/, // Snowplow POST
  /^\/i$/, // Snowplow GET
  /^\/(2\/httpapi|batch)$/, // Amplitude
  /^\/api\/event$/, // Plausible
];

/** A request body as text, gunzipped when it is gzip (by its magic bytes: not every SDK says so). */
export const decodeBody = (body: Buffer): string => {
  if (body[0] === 0x1f && body[1] === 0x8b) {
    try {
      return gunzipSync(body).toString('utf8');
    } catch {}
  }
  return body.toString('utf8');
};

/** Every bench number in a decoded body: JSON anywhere, JSON inside strings, base64 JSON. */
export const benchNumbers = (text: string): number[] => {
  const found: number[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 12 || value == null) return;
    if (typeof value === 'string') {
      const s = value.trim();
      if ((s.startsWith('{') || s.startsWith('[')) && s.includes('bench_n')) {
        try {
          walk(JSON.parse(s), depth + 1);
        } catch {}
      } else if (s.length > 20 && /^[\w+/= -]+$/.test(s)) {
        // base64 (Snowplow ue_px, PostHog data=)
        // form decoding turned '+' into ' '; url-safe alphabets use '-' and '_'
        const decoded = Buffer.from(s.replace(/[ -]/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
        if (decoded.includes('bench_n')) walk(decoded, depth + 1);
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'bench_n' && (typeof inner === 'number' || typeof inner === 'string') && Number.isFinite(Number(inner))) {
          found.push(Number(inner));
        } else walk(inner, depth + 1);
      }
    }
  };
  const s = text.trim();
  if (s.startsWith('{') || s.startsWith('[')) {
    try {
      walk(JSON.parse(s), 0);
      return found;
    } catch {}
  }
  // form-encoded (PostHog `data=<base64>`, Snowplow GET query)
  for (const [, value] of new URLSearchParams(s)) walk(value, 0);
  return found;
};

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * Start a sink. `answer` lets Shoptrail's own protocol be answered when the sink stands in for
 * the collector (`{accepted, duplicates, rejected}`); peers get `{}` or their config JSON.
 */
export const startSink = async (name: string): Promise<Sink> => {
  let requests = 0;
  let bytes = 0;
  let received = 0;
  let down = false;
  const seen = new Map<number, number>();
  let host = '';

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('Access-Control-Max-Age', '600');
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = url.pathname;
    const raw = await readBody(req).catch(() => Buffer.alloc(0));
    // Configuration endpoints are answered even during an outage: a CDN is not the collector.
    if (/^\/v1\/projects\/[^/]+\/settings$/.test(path)) return json(res, 200, segmentSettings(host));
    if (/^\/sourceConfig\/?$/.test(path)) return json(res, 200, rudderConfig);
    if (/^\/(decide|flags)\/?$/.test(path)) {
      return json(res, 200, { featureFlags: {}, flags: {}, sessionRecording: false, supportedCompression: ['gzip', 'gzip-js'], autocapture_opt_out: true });
    }
    if (/^\/array\/[^/]+\/config\.js$/.test(path)) {
      res.setHeader('Content-Type', 'text/javascript');
      res.end('');
      return;
    }
    // PostHog's remote config: its cloud announces gzip, so PostHog compresses as in production.
    if (/^\/array\/[^/]+\/config$/.test(path)) return json(res, 200, { supportedCompression: ['gzip', 'gzip-js'] });
    if (!DATA_PATHS.some((re) => re.test(path))) return json(res, 404, {});
    requests += 1;
    bytes += raw.length + (req.method === 'GET' ? url.search.length : 0);
    if (down) return json(res, 503, { error: 'outage' });
    let text = decodeBody(raw);
    if (req.method === 'GET') text = url.search.slice(1);
    const numbers = benchNumbers(text);
    received += numbers.length;
    for (const n of numbers) seen.set(n, (seen.get(n) ?? 0) + 1);
    if (name === 'shoptrail') return json(res, 200, { accepted: numbers.length, duplicates: 0, rejected: [] });
    if (path === '/api/event') {
      res.statusCode = 202;
      res.end('ok');
      return;
    }
    return json(res, 200, { code: 200, status: 1, events_ingested: numbers.length });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const range = (from: number, to: number) => {
    let delivered = 0;
    let duplicates = 0;
    for (const [n, count] of seen) {
      if (n >= from && n < to) {
        delivered += 1;
        duplicates += count - 1;
      }
    }
    return { delivered, duplicates };
  };

  return {
    url: `http://${host}`,
    stats: () => ({ requests, bytes, received, ...range(-Infinity, Infinity) }),
    range,
    outage: (on) => {
      down = on;
    },
    reset: () => {
      requests = 0;
      bytes = 0;
      received = 0;
      seen.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

// Real-looking envelopes, batches and a small collector config for the collector's tests.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type Collector, type CollectorOptions, createCollector } from '../../../src/collector/app';
import { type CollectorConfig, parseConfig } from '../../../src/collector/keys';
import type { Envelope } from '../../../src/schema';
import { openTestStorage } from './engine';

export const WRITE_KEY = 'pk_test_shop';
export const OTHER_KEY = 'pk_test_other';
export const ADMIN_KEY = 'sk_test_shop';
export const OTHER_ADMIN_KEY = 'sk_test_other';
export const ORIGIN = 'http://shop.test';

export const testConfig = (perSecond = 1000, burst = 1000): CollectorConfig =>
  parseConfig({
    entities: [
      { entity: 'shop', writeKeys: [WRITE_KEY], allowedOrigins: [ORIGIN], adminKey: ADMIN_KEY, allowance: 100, cycleStartDay: 1 },
      { entity: 'other', writeKeys: [OTHER_KEY], allowedOrigins: ['*'], adminKey: OTHER_ADMIN_KEY, allowance: 10 },
    ],
    rateLimit: { perSecond, burst },
  });

/** A collector on the engine of this run, with databases of its own. */
export const testCollector = (options: Partial<CollectorOptions> = {}): Collector =>
  createCollector({ config: testConfig(), log: false, openStorage: openTestStorage, ...options });

export const event = (
  type = 'web-page-visited',
  body: Record<string, unknown> = { url: 'https://shop.test/', referrer: '' },
  over: Partial<Envelope> = {},
): Envelope =>
  ({
    id: randomUUID(),
    type,
    v: 1,
    entity: 'shop',
    anonymousId: 'anon-1',
    sessionId: 'session-1',
    createdAt: new Date().toISOString(),
    context: {
      page: { url: 'https://shop.test/', path: '/', title: 'Shop', referrer: '' },
      library: { name: 'shoptrail', version: 'test' },
    },
    body,
    ...over,
  }) as Envelope;

export const vitals = (over: Partial<Envelope> = {}) => event('web-vitals', { name: 'LCP', value: 1200, rating: 'good' }, over);

export const batch = (events: unknown[], writeKey = WRITE_KEY) => ({
  writeKey,
  sentAt: new Date().toISOString(),
  batchId: randomUUID(),
  events,
});

/** POST a batch the way the tracker does: text/plain, CORS-simple, from the shop's origin. */
export const post = (
  collector: Collector,
  body: unknown,
  init: { gzip?: boolean; origin?: string | null; query?: string; headers?: Record<string, string> } = {},
) => {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  const payload = init.gzip ? gzipSync(json) : json;
  const headers: Record<string, string> = { 'Content-Type': 'text/plain', ...init.headers };
  if (init.origin !== null) headers.Origin = init.origin ?? ORIGIN;
  return collector.app.request(`/v1/batch${init.query ?? (init.gzip ? '?encoding=gzip' : '')}`, { method: 'POST', body: payload, headers });
};

export const read = (collector: Collector, path: string, key = ADMIN_KEY) => collector.app.request(path, { headers: { Authorization: `Bearer ${key}` } });

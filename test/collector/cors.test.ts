// CORS: preflights for clients that send JSON or Content-Encoding; the tracker's own requests
// are CORS-simple and get Access-Control-Allow-Origin and Retry-After exposed.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { ADMIN_KEY, batch, event, ORIGIN, post, testCollector, testConfig } from './support/app';

let collector: Collector;
afterEach(() => collector?.close());

const preflight = (c: Collector, origin: string) =>
  c.app.request('/v1/batch', {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, content-encoding' },
  });

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    collector = testCollector();
    const response = await preflight(collector, ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-encoding');
  });

  it('gives a simple POST the allow-origin header and exposes Retry-After', async () => {
    collector = testCollector();
    const response = await post(collector, batch([event()]));
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(response.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
  });

  it('does not allow an origin no entity allows', async () => {
    // Only the "shop" entity here: the "other" one allows any origin.
    const config = testConfig();
    config.entities = config.entities.slice(0, 1);
    collector = testCollector({ config });
    const response = await preflight(collector, 'https://evil.test');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const posted = await post(collector, batch([event()]), { origin: 'https://evil.test' });
    expect(posted.status).toBe(403);
    expect(posted.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('answers no CORS on admin routes, preflight or not', async () => {
    collector = testCollector();
    for (const path of ['/v1/events', '/v1/usage', '/v1/reports', '/v1/profiles', '/v1/admin/faults']) {
      const pre = await c(path, {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
      expect(pre.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
      expect(pre.headers.get('Access-Control-Allow-Headers'), path).toBeNull();
    }
    const readUsage = await c('/v1/usage', { headers: { Origin: ORIGIN, Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(readUsage.status).toBe(200);
    expect(readUsage.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

const c = (path: string, init: RequestInit) => collector.app.request(path, init);

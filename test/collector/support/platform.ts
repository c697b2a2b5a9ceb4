// A collector config with the platform's rules (issue 16): a server key, cart-abandoned after
// 4 hours, Gold/Silver segments and a webhook, plus helpers for server-key batches.
import { randomUUID } from 'node:crypto';
import type { Collector, CollectorOptions } from '../../../src/collector/app';
import { parseConfig } from '../../../src/collector/keys';
import type { Envelope } from '../../../src/schema';
import { ADMIN_KEY, ORIGIN, OTHER_ADMIN_KEY, OTHER_KEY, testCollector, WRITE_KEY } from './app';

export const SERVER_KEY = 'sk_server_shop_0123456789abcdef';
export const HOOK_SECRET = 'whsec_0123456789abcdef';

export const platformConfig = (over: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) =>
  parseConfig(
    {
      entities: [
        {
          entity: 'shop',
          writeKeys: [WRITE_KEY],
          allowedOrigins: [ORIGIN],
          adminKey: ADMIN_KEY,
          allowance: 1000,
          serverKeys: [SERVER_KEY],
          ...over,
        },
        { entity: 'other', writeKeys: [OTHER_KEY], allowedOrigins: ['*'], adminKey: OTHER_ADMIN_KEY, allowance: 10 },
      ],
      rateLimit: { perSecond: 1000, burst: 1000 },
    },
    env,
  );

export const platformCollector = (over: Record<string, unknown> = {}, options: Partial<CollectorOptions> = {}): Collector =>
  testCollector({ config: platformConfig(over), ...options });

/** An event as the Node SDK sends it: no page, its own library, a customer and maybe no browser. */
export const serverEvent = (type: string, body: Record<string, unknown>, over: Partial<Envelope> = {}): Envelope =>
  ({
    id: randomUUID(),
    type,
    v: 1,
    entity: 'shop',
    customerId: 'c-1',
    createdAt: new Date().toISOString(),
    context: { library: { name: 'shoptrail-node', version: 'test' } },
    body,
    ...over,
  }) as Envelope;

/** POST a batch with a server key, from no browser. */
export const postServer = (collector: Collector, events: unknown[], key = SERVER_KEY, headers: Record<string, string> = {}) =>
  collector.app.request('/v1/batch', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ sentAt: new Date().toISOString(), batchId: randomUUID(), events }),
  });

// The config fields of issue 16: segments, webhooks and cartAbandonedAfterHours, checked at
// start-up with messages naming the field.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/collector/config';

const entity = (over: Record<string, unknown>) => ({ entities: [{ entity: 'shop', writeKeys: ['pk_shop'], ...over }] });
const hook = (over: Record<string, unknown> = {}) => ({
  id: 'orders',
  on: 'purchase',
  url: 'https://hooks.example/orders',
  secret: 'whsec_0123456789abcdef',
  ...over,
});

describe('platform config', () => {
  it('keeps segments, webhooks (secrets from the environment) and the cart delay', () => {
    const config = parseConfig(
      entity({
        cartAbandonedAfterHours: 6,
        segments: [{ name: 'Gold', when: [{ sum: 'value', of: 'purchase', days: 90, gt: 500 }] }],
        webhooks: [hook({ secret: undefined, secretEnv: 'HOOK', where: { currency: 'EUR' } })],
      }),
      { HOOK: 'whsec_from_env_0123456789' },
    );
    expect(config.entities[0]).toMatchObject({
      cartAbandonedAfterHours: 6,
      segments: [{ name: 'Gold', when: [{ sum: 'value', of: 'purchase', days: 90, gt: 500 }] }],
      webhooks: [
        { id: 'orders', on: 'purchase', url: 'https://hooks.example/orders', where: { currency: 'EUR' }, secret: 'whsec_from_env_0123456789', secretEnv: 'HOOK' },
      ],
    });
  });

  const rejects: Array<[string, Record<string, unknown>, string]> = [
    ['a zero cart delay', { cartAbandonedAfterHours: 0 }, 'entities[0].cartAbandonedAfterHours: must be a positive number, got 0'],
    [
      'a condition of two kinds',
      { segments: [{ name: 'G', when: [{ count: 'purchase', sum: 'value', gt: 1 }] }] },
      'entities[0].segments[0].when[0]: give exactly one of "attribute", "count" or "sum"',
    ],
    [
      'a count of an unknown type',
      { segments: [{ name: 'G', when: [{ count: 'purchased', gt: 1 }] }] },
      'entities[0].segments[0].when[0].count: must be a catalog event type',
    ],
    ['no comparison', { segments: [{ name: 'G', when: [{ attribute: 'tier' }] }] }, 'entities[0].segments[0].when[0]: give a comparison: gt, gte, lt, lte, eq, ne'],
    [
      'a segment name twice',
      {
        segments: [
          { name: 'G', when: [{ attribute: 'a', eq: 1 }] },
          { name: 'G', when: [{ attribute: 'a', eq: 2 }] },
        ],
      },
      'entities[0].segments[1].name: "G" is already a segment of this entity',
    ],
    ['a webhook on an unknown type', { webhooks: [hook({ on: 'order' })] }, 'entities[0].webhooks[0].on: must be a catalog event type'],
    ['a webhook on its own dispatches', { webhooks: [hook({ on: 'execute-webhook' })] }, 'entities[0].webhooks[0].on: "execute-webhook" cannot trigger a webhook'],
    ['a webhook URL that is not http(s)', { webhooks: [hook({ url: 'ftp://x' })] }, 'entities[0].webhooks[0].url: must be an http(s) URL'],
    ['a short secret', { webhooks: [hook({ secret: 'short' })] }, 'entities[0].webhooks[0].secret: must be at least 16 characters'],
    [
      'an unset secret variable',
      { webhooks: [hook({ secret: undefined, secretEnv: 'NOPE' })] },
      'entities[0].webhooks[0].secretEnv: environment variable NOPE is not set',
    ],
  ];
  it.each(rejects)('refuses %s', (_, over, message) => {
    expect(() => parseConfig(entity(over), {})).toThrow(`collector config: ${message}`);
  });
});

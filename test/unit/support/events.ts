// Small real-looking envelopes for tests that do not go through track().
import type { Envelope } from '../../../src/envelope';

let n = 0;

export const makeEvent = (type = 'custom-event', body: Record<string, unknown> = { name: 'test' }): Envelope => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type: type as Envelope['type'],
  v: 1,
  entity: '-',
  anonymousId: 'anon-1',
  sessionId: 'session-1',
  createdAt: new Date().toISOString(),
  context: {
    page: { url: 'https://shop.example/', path: '/', title: 'Shop', referrer: '' },
    library: { name: 'shoptrail', version: 'test' },
  },
  body,
});

/** Let pending timers of 0 ms and IndexedDB work run (real timers). */
export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

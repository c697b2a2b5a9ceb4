// A stand-in Core for capture modules: records what they track, validated with the
// real catalog schemas so a malformed body fails the test.
import { lookup } from '../../../src/catalog';
import { resolveConfig } from '../../../src/config';
import type { Envelope } from '../../../src/envelope';
import { duplicate, ordersKey } from '../../../src/guards/duplicate';
import type { Core } from '../../../src/plugin';
import { validateBody } from '../../../src/validate';
import { tick } from './events';

export interface Tracked {
  type: string;
  body: Record<string, any>;
}

export const fakeCore = (options: Record<string, unknown> = {}) => {
  const tracked: Tracked[] = [];
  const identified: string[] = [];
  const config = resolveConfig(options);
  const orders = duplicate(config.duplicateWindow, ordersKey(config.name));
  const track = (type: string, body: unknown = {}) => {
    const valid = validateBody(type, lookup(type)!, body);
    if (!valid.ok) throw new Error(`${type}: ${valid.message}`);
    const event = { type, body: valid.value } as Envelope;
    if (type === 'purchase' && orders(event, lookup(type)!)) return { ok: false as const, id: '', dropped: 'duplicate' };
    tracked.push({ type, body: valid.value as Record<string, any> });
    return { ok: true as const, id: String(tracked.length) };
  };
  const core = {
    config,
    track,
    page: () => track('web-page-visited', {}),
    identify: (id: string) => (identified.push(id), { ok: true as const, id: 'x' }),
    consentState: () => 'granted' as const,
    flush: async () => ({ delivered: 0, remaining: 0 }),
    emit: () => {},
    on: () => () => {},
    lookup,
    warn: () => {},
    loading: () => () => {},
  } as unknown as Core;
  return { core, tracked, identified, of: (type: string) => tracked.filter((t) => t.type === type) };
};

/** Let the capture modules' deferred work (a few chained tasks) run. */
export const tasks = async (n = 6) => {
  for (let i = 0; i < n; i++) await tick();
};

/** Put the page at this URL (happy-dom), without a navigation. */
export const at = (url: string) => (window as any).happyDOM.setURL(url);

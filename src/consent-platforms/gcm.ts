// Google Consent Mode v2: `gtag('consent', 'default' | 'update', {...})` pushes its arguments to
// `window.dataLayer`, before or after Shoptrail loads: what is there is read in order, and later
// pushes are seen through a wrapped push. analytics = analytics_storage; marketing = ad_storage
// and ad_user_data. A default of "denied" is the state before the banner's answer: analytics
// stays unknown (events held in memory, nothing stored) until an update grants or denies it.
import type { Platform, Purposes } from './purposes';

type Signals = Record<string, string>;

const read = (entry: any, state: Signals): boolean => {
  if (entry?.[0] !== 'consent' || (entry[1] !== 'default' && entry[1] !== 'update') || !entry[2] || typeof entry[2] !== 'object') return false;
  // A default never overrides an update already seen (gtag's own rule).
  for (const [key, value] of Object.entries(entry[2] as Signals)) {
    if (entry[1] === 'update' || !(`${key}:update` in state)) state[key] = value;
    if (entry[1] === 'update') state[`${key}:update`] = value;
  }
  return true;
};

/** Granted; denied by an update (the shopper's answer); else unknown. */
const signal = (state: Signals, key: string): boolean | undefined => (state[key] === 'granted' ? true : state[`${key}:update`] === 'denied' ? false : undefined);

const purposes = (state: Signals): Purposes => {
  const ads = [signal(state, 'ad_storage'), signal(state, 'ad_user_data')];
  return { analytics: signal(state, 'analytics_storage'), marketing: ads.includes(false) ? false : ads.every(Boolean) || undefined };
};

export const gcm: Platform = (report) => {
  const w = window as unknown as { dataLayer?: unknown[] };
  const layer = (w.dataLayer = w.dataLayer || []);
  const state: Signals = {};
  let changed = false;
  for (const entry of layer) changed = read(entry, state) || changed;
  if (changed) report(purposes(state));
  const push = layer.push;
  let active = true;
  layer.push = function (this: unknown, ...entries: unknown[]) {
    const result = push.apply(this, entries);
    try {
      if (active && entries.map((entry) => read(entry, state)).some(Boolean)) report(purposes(state));
    } catch {
      // never in the page's way
    }
    return result;
  };
  return () => {
    active = false; // another script may have wrapped push since: ours stays, inert
  };
};

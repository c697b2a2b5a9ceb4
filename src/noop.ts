// The tracker of a server render (Next.js, Remix, any Node or worker without a DOM): every call
// does nothing and never throws, so a component that tracks renders on the server as it does in
// the browser. The real tracker is created where the page runs.
import type { Tracker, TrackResult } from './types';

/** No window, document or navigator: nowhere to capture from or store to. */
export const hasBrowser = (): boolean => typeof window != 'undefined' && typeof document != 'undefined' && typeof navigator != 'undefined';

const nothing: TrackResult = { ok: false, id: '', dropped: 'no-browser' };

export const noopTracker = (): Tracker => ({
  track: () => nothing,
  identify: () => nothing,
  page: () => nothing,
  consent: () => {},
  flush: async () => ({ delivered: 0, remaining: 0 }),
  usage: async () => ({ queue: { size: 0, storage: 'memory' }, account: null }),
  on: () => () => {},
  off: () => {},
  reset: () => {},
  shutdown: () => {},
});

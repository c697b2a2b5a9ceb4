// The QA inspector shown on every demo page: what the tracker captured and what became of it,
// built only on the tracker's public API. Loaded in <head> before the tracker's async tag so
// its listeners (recorded by the snippet-style stub) see the page's first events.
import { call, connect, trackerLoaded, usageReport } from './inspector/connect';
import { createPanel, type Panel } from './inspector/panel';
import { initialState, reduce, type Action } from './inspector/state';

let state = initialState();
let panel: Panel | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

const dispatch = (action: Action): void => {
  state = reduce(state, action);
  panel?.render(state, trackerLoaded());
  if (action.kind === 'acked' || action.kind === 'dropped' || action.kind === 'rejected' || action.kind === 'queue') refreshSoon();
};

/** Ask usage() again, at most once a second: it reads IndexedDB. */
const refreshSoon = (): void => {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = undefined;
    const report = await usageReport();
    if (report) dispatch({ kind: 'report', at: Date.now(), report });
  }, 1000);
};

const note = (message: string): void => dispatch({ kind: 'info', at: Date.now(), code: 'inspector', message });

connect(dispatch);

const start = (): void => {
  panel = createPanel({
    flush: async () => {
      note('flush requested');
      const result = (await Promise.resolve(call('flush')).catch(() => undefined)) as { delivered?: number; remaining?: number; retryInMs?: number } | undefined;
      if (result) note(`flush: ${result.delivered ?? 0} delivered, ${result.remaining ?? 0} waiting${result.retryInMs ? `, retry in ${result.retryInMs} ms` : ''}`);
      refreshSoon();
    },
    consent: (value) => {
      call('consent', value);
      note(`consent ${value} by the inspector`);
    },
    clear: () => dispatch({ kind: 'clear' }),
    opened: refreshSoon,
  });
  panel.render(state, trackerLoaded());
  // The tracker's tag is async: redraw once it has run so "loading…" turns into "loaded".
  addEventListener('load', () => panel?.render(state, trackerLoaded()));
  refreshSoon();
};

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

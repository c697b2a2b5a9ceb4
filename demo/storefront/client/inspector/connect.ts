// The inspector talks to the tracker only through its public, snippet-style function:
// `shoptrail('on', name, fn)`, `shoptrail('usage')`, `shoptrail('flush')`, `shoptrail('consent', …)`.
// When the inspector runs before the tracker's async script, it leaves the same recording
// stub the snippet does, so its listeners are in place before the first event.
import { installStub } from '../../../../src/stub';
import type { TrackerEvents } from '../../../../src/types';
import type { Action, UsageReportLike } from './state';

type Api = ((...args: unknown[]) => unknown) & { q?: unknown[][]; loaded?: boolean };
const w = window as Window & { shoptrail?: Api };

/** The snippet's own stub (src/stub.ts), with every public call (src/methods.ts). */
const ensureStub = (): void => installStub(w);

/** Call the tracker as it is now (the stub until the script loads, the real one after). */
export const call = (...args: unknown[]): unknown => {
  try {
    return w.shoptrail?.(...args);
  } catch {
    return undefined;
  }
};

export const trackerLoaded = (): boolean => !!w.shoptrail?.loaded;

export const usageReport = async (): Promise<UsageReportLike | undefined> => {
  const report = await Promise.resolve(call('usage')).catch(() => undefined);
  return report && typeof report === 'object' ? (report as UsageReportLike) : undefined;
};

/** Subscribe to every public tracker event, turning each into an inspector action. */
export const connect = (dispatch: (action: Action) => void): void => {
  ensureStub();
  const on = <K extends keyof TrackerEvents>(name: K, toAction: (payload: TrackerEvents[K], at: number) => Action) =>
    call('on', name, (payload: TrackerEvents[K]) => {
      try {
        dispatch(toAction(payload, Date.now()));
      } catch {
        // a malformed payload must not break the inspector's other listeners
      }
    });
  on('queued', (p, at) => ({ kind: 'queued', at, event: p.event }));
  on('batch', (p, at) => ({ kind: 'batch', at, report: p }));
  on('acked', (p, at) => ({ kind: 'acked', at, events: p.events }));
  on('rejected', (p, at) => ({ kind: 'rejected', at, event: p.event, error: p.error }));
  on('dropped', (p, at) => ({ kind: 'dropped', at, reason: p.reason, events: p.events }));
  on('error', (p, at) => ({ kind: 'error', at, code: p.code, message: p.message }));
  on('warning', (p, at) => ({ kind: 'warning', at, code: p.code, message: p.message }));
  on('usage', (p, at) => ({ kind: 'usage', at, account: p }));
  on('queue', (p, at) => ({ kind: 'queue', at, size: p.size, storage: p.storage }));
  on('consent', (p, at) => ({ kind: 'consent', at, state: p.state }));
  // Sent by the cost-accounting module when the forecast passes the allowance.
  call('on', 'usage-warning', (p: { projected?: number; allowance?: number; exhaustsOn?: string | null; source?: string }) =>
    dispatch({
      kind: 'warning',
      at: Date.now(),
      code: 'usage-warning',
      message: `${p?.source ?? ''} forecast ${p?.projected ?? '?'} of ${p?.allowance ?? '?'} activities; runs out ${p?.exhaustsOn ?? '?'}`,
    }),
  );
};

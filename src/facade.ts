// The public API (src/types.ts `Tracker`), guarded: a bad argument or an internal fault becomes
// a returned error and an `error` event, never an exception in the host page.
import type { Consent } from './consent';
import type { Identity } from './identity';
import type { RecordEvent } from './pipeline';
import { describe, internal, type Report } from './report';
import type { FlushResult, Tracker, UsageReport } from './types';

/** A public call that returns nothing: an internal fault becomes an `error` event. */
export const guarded =
  <A extends unknown[]>(report: Report, name: string, fn: (...args: A) => void) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch (error) {
      report.emit('error', internal(name, error));
    }
  };

/** The calls behind the facade, positional: a bundle keeps no parameter names. */
export const createFacade = (
  record: RecordEvent,
  report: Report,
  identity: Identity,
  consent: Consent,
  flush: () => Promise<FlushResult>,
  usage: () => Promise<UsageReport>,
  shutdown: () => void,
): Tracker => ({
  track: (type, body, opts) => record(type, body, opts, false),

  identify: (customerId, traits) => {
    try {
      if (typeof customerId !== 'string' || !customerId.trim()) {
        return report.fail({ code: 'bad-arguments', message: 'identify: customerId must be a non-empty string' });
      }
      const id = customerId.trim();
      const body = traits === undefined ? { customerId: id } : { customerId: id, traits };
      let fingerprint: string;
      try {
        fingerprint = JSON.stringify(body);
      } catch {
        return report.fail({ code: 'bad-arguments', message: 'identify: traits must be JSON data' });
      }
      // Same customer, same traits: already told. Repeating it on every page would bill every page.
      if (!identity.identifyChanges(id, fingerprint)) return { ok: true, id: '', unchanged: true };
      return record('entity-identified', body, undefined, false);
    } catch (error) {
      return report.fail(internal('identify', error));
    }
  },

  page: (properties) => record('web-page-visited', properties && typeof properties === 'object' ? properties : {}, undefined, false),

  consent: guarded(report, 'consent', (state: 'granted' | 'denied') => {
    if (state !== 'granted' && state !== 'denied') {
      report.fail({ code: 'bad-arguments', message: `consent: expected "granted" or "denied", got ${describe(state)}` });
      return;
    }
    consent.decide(state);
  }),

  flush: () =>
    flush().catch((error) => {
      report.emit('error', internal('flush', error));
      return { delivered: 0, remaining: -1 };
    }),

  usage,

  on: (name, fn) => {
    if (typeof name !== 'string' || typeof fn !== 'function') {
      report.fail({ code: 'bad-arguments', message: 'on: expected an event name and a function' });
      return () => {};
    }
    return report.on(name, fn);
  },

  off: (name, fn) => {
    if (typeof name === 'string') report.off(name, fn);
  },

  reset: guarded(report, 'reset', () => identity.reset()),

  shutdown: guarded(report, 'shutdown', shutdown),
});

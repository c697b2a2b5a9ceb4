// Reporting: the events `on()` hears, warnings said once, and errors as values. A listener
// that throws is isolated (src/lib/emitter.ts); nothing here throws into the host page.
import type { Envelope } from './envelope';
import { createEmitter, type Emitter } from './lib/emitter';
import { envelopes, type QueueOptions } from './queue';
import type { DropReason, TrackerError, TrackerEvents, TrackResult } from './types';

export interface Report extends Emitter<TrackerEvents> {
  /** A `warning`, once per code (and on the console in debug). */
  warn(code: string, message: string): void;
  /** Let the warning of `code` be said again (the condition cleared). */
  unwarn(code: string): void;
  /** An error, emitted and returned as the result of the call that met it. */
  fail(error: TrackerError): TrackResult;
  /** Events dropped, and why (nothing said for none). */
  dropped(reason: DropReason, events: Envelope[]): void;
}

/** A value in an error message, without calling anything a hostile object could override. */
export const describe = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 100) : typeof value);

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : describe(error));

/** An internal fault of `what`, as an error value. */
export const internal = (what: string, error: unknown): TrackerError => ({ code: 'internal', message: `${what} failed: ${errorMessage(error)}` });

export const createReport = (debug: boolean): Report => {
  const emitter = createEmitter<TrackerEvents>((error) => {
    if (debug) console.warn('[shoptrail] a listener threw', error);
  });
  const warned = new Set<string>();
  return {
    ...emitter,
    warn(code, message) {
      if (warned.has(code)) return; // say it once
      warned.add(code);
      emitter.emit('warning', { code, message });
      if (debug) console.warn(`[shoptrail] ${message}`);
    },
    unwarn: (code) => warned.delete(code),
    fail(error) {
      emitter.emit('error', error);
      if (debug) console.warn(`[shoptrail] ${error.message}`);
      return { ok: false, error };
    },
    dropped(reason, events) {
      if (events.length) emitter.emit('dropped', { reason, events });
    },
  };
};

/** How the queue's drops and its storage switches are told. */
export const queueReports = (report: Report): Pick<QueueOptions, 'onDrop' | 'onStorage'> => ({
  onDrop(reason, items) {
    report.dropped(reason, envelopes(items));
  },
  onStorage(mode, error) {
    // A later failure deserves a new warning.
    if (mode === 'indexeddb') report.unwarn('storage-memory');
    else report.warn('storage-memory', `IndexedDB is unavailable (${errorMessage(error)}); events are kept in memory until it recovers`);
  },
});

// The path of one event: validate → consent → guards → queue. A refused event returns why:
// invalid ones as an `error`, dropped ones (consent denied, a guard) on `dropped`.
import type { CatalogEntry } from './catalog';
import type { Consent } from './consent';
import type { ContextSource } from './context';
import type { Envelope } from './envelope';
import type { MakeEnvelope } from './makeEnvelope';
import type { Guard } from './plugin';
import { describe, internal, type Report } from './report';
import type { DropReason, TrackOptions, TrackResult } from './types';
import { boundBody, browserType, validateBody } from './validate';

/** One event through the pipeline: a public call (`sdk` false) or Shoptrail's own (`sdk` true). */
export type RecordEvent = (type: unknown, body: unknown, opts: TrackOptions | undefined, sdk: boolean) => TrackResult;

const parseTimestamp = (value: TrackOptions['timestamp']): string | undefined => {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** `queue` takes an event past every check, with consent. (Positional: a bundle keeps no parameter names.) */
export const createPipeline = (
  make: MakeEnvelope,
  context: ContextSource,
  consent: Consent,
  guards: Set<Guard>,
  { fail, dropped, warn, emit, has }: Report,
  queue: (event: Envelope) => void,
): RecordEvent => {
  /** Past validation: consent, guards, then the queue. */
  const accept = (event: Envelope, entry: CatalogEntry): TrackResult => {
    const state = consent.state();
    if (state === 'denied') {
      dropped('consent-denied', [event]);
      return { ok: false, id: event.id, dropped: 'consent-denied' };
    }
    // forEach walks the set without the iterator and the result object per guard that for…of
    // costs before the JIT warms; `||=` calls no guard after the first reason, as a break did.
    let reason = undefined as DropReason | undefined;
    guards.forEach((guard) => (reason ||= guard(event, entry)));
    if (reason) {
      dropped(reason, [event]);
      return { ok: false, id: event.id, dropped: reason };
    }
    if (state === 'pending') dropped('consent-pending-overflow', consent.hold(event));
    else queue(event);
    if (has('queued')) emit('queued', { event });
    return { ok: true, id: event.id };
  };

  return (type, body, opts, sdk) => {
    try {
      const checked = browserType(type);
      if (!checked.ok) return fail({ code: checked.code, message: checked.message, type: describe(type) });
      const entry = checked.value;
      const name = type as string;
      if (entry.origin === 'sdk' && !sdk) {
        return fail({ code: 'platform-only', message: `"${name}" is reserved for Shoptrail itself`, type: name });
      }
      if (name === 'web-page-visited') context.refresh(); // a navigation may have just happened
      if (entry.origin === 'disused') {
        warn(`disused:${name}`, `"${name}" is disused: still accepted and billed, but better replaced`);
      }
      // Bounded before zod reads it: a body too deep or too large is refused as given.
      const valid = boundBody(name, body) || validateBody(name, entry, body);
      if (!valid.ok) return fail({ code: valid.code, message: valid.message, type: name });
      const createdAt = opts && typeof opts === 'object' ? parseTimestamp(opts.timestamp) : undefined;
      return accept(make(name, valid.value, createdAt), entry);
    } catch (error) {
      return fail(internal('track', error));
    }
  };
};

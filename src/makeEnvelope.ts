// Building the envelope (DESIGN.md "Event envelope") around a validated body: a fresh id, the
// browser's ids and session, the page's context and the time.
import type { EventType } from './catalog';
import type { Config } from './config';
import type { ContextSource } from './context';
import { type Envelope, WIRE_VERSION } from './envelope';
import type { Identity } from './identity';
import { uuid } from './lib/uuid';

export type MakeEnvelope = (type: string, body: Record<string, unknown>, createdAt?: string) => Envelope;

export const envelopeMaker = (config: Config, identity: Identity, context: ContextSource): MakeEnvelope => {
  let sessionId = '';
  // A burst of events within one millisecond shares one ISO string.
  let lastNow = 0;
  let lastIso = '';
  return (type, body, createdAt) => {
    const now = Date.now();
    if (now !== lastNow) lastIso = new Date((lastNow = now)).toISOString();
    const session = identity.session(now);
    if (session !== sessionId) {
      if (sessionId) context.setUtm(identity.utm); // a new session keeps no stale campaign
      sessionId = session;
    }
    const event: Envelope = {
      id: uuid(),
      type: type as EventType,
      v: WIRE_VERSION,
      entity: config.entity,
      anonymousId: identity.anonymousId,
      sessionId: session,
      createdAt: createdAt ?? lastIso,
      context: context.current(),
      body,
    };
    const customerId = identity.customerId;
    if (customerId) event.customerId = customerId;
    return event;
  };
};

// Envelopes of the events the collector itself derives (cart-abandoned, entity-merged,
// segment changes, execute-webhook). Ids are derived from what the event is about when it must
// exist once whoever computes it (two replicas, a retried job): the events table's key
// (entity, id) then keeps one.
import { createHash, randomUUID } from 'node:crypto';
import type { Envelope, EventType } from '../../schema';

export const COLLECTOR_LIBRARY = { name: 'shoptrail-collector', version: '1' };

/** A UUID (version 5 layout) from a hash of the parts: the same parts, the same id. */
export const stableId = (...parts: string[]): string => {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export interface Subject {
  customerId?: string | null;
  anonymousId?: string | null;
}

export const derivedEvent = (entity: string, type: EventType, body: Record<string, unknown>, who: Subject, createdAt: string, id: string = randomUUID()): Envelope =>
  ({
    id,
    type,
    v: 1,
    entity,
    ...(who.anonymousId ? { anonymousId: who.anonymousId } : {}),
    ...(who.customerId ? { customerId: who.customerId } : {}),
    createdAt,
    context: { library: COLLECTOR_LIBRARY },
    body,
  }) as unknown as Envelope;

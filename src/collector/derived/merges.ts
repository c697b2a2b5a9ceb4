// entity-merged: two profiles become one. Looked for before the identify is applied to the
// profiles (profiles.ts), in the batch's transaction:
// - an anonymous browser identifies as a customer who already has a profile (the visitor's
//   history joins the customer's: profile_aliases);
// - a customer identifies with an email another customer of the entity already has.
// The id is derived from the pair, so a pair is merged (and billed) once.
import type { Envelope } from '../../schema';
import type { SqlClient } from '../storage/sql';
import { derivedEvent, stableId } from './envelope';

export const mergesOf = async (tx: SqlClient, event: Envelope): Promise<Envelope[]> => {
  if (event.type !== 'entity-identified') return [];
  const body = event.body as { customerId?: unknown; traits?: { email?: unknown } };
  if (typeof body.customerId !== 'string' || !body.customerId) return [];
  const customerId = body.customerId;
  const out: Envelope[] = [];
  const merged = (body: Record<string, unknown>, kept: string, pair: string) =>
    out.push(
      derivedEvent(
        event.entity,
        'entity-merged',
        body,
        { customerId: kept, anonymousId: event.anonymousId },
        event.createdAt,
        stableId(event.entity, 'entity-merged', kept, pair),
      ),
    );

  if (event.anonymousId) {
    const [existing] = await tx.all('SELECT 1 AS one FROM profiles WHERE entity = ? AND customer_id = ?', [event.entity, customerId]);
    const [alias] = await tx.all('SELECT 1 AS one FROM profile_aliases WHERE entity = ? AND anonymous_id = ?', [event.entity, event.anonymousId]);
    if (existing && !alias) {
      merged({ customerId, mergedAnonymousId: event.anonymousId, reason: 'identified' }, customerId, `anonymous:${event.anonymousId}`);
    }
  }
  const email = typeof body.traits?.email === 'string' ? body.traits.email : undefined;
  if (email) {
    // The older profile is the one kept.
    const [other] = await tx.all<{ customer_id: string }>(
      'SELECT customer_id FROM profiles WHERE entity = ? AND email = ? AND customer_id <> ? ORDER BY created_at, customer_id LIMIT 1',
      [event.entity, email, customerId],
    );
    if (other) merged({ customerId: other.customer_id, mergedCustomerId: customerId, email, reason: 'same-email' }, other.customer_id, `customer:${customerId}`);
  }
  return out;
};

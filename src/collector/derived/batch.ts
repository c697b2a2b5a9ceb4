// What follows the events of a batch inside its transaction (issue 16): cart episodes, merges,
// segment membership, and the webhook outbox. Derived events are stored and billed with the
// batch (storage/events.ts insertDerived), and trigger webhooks like any other.
import type { Envelope } from '../../schema';
import type { Dialect } from '../storage/dialect';
import { insertDerived } from '../storage/events';
import type { SqlClient } from '../storage/sql';
import type { PlatformRules } from '../storage/types';
import { enqueueWebhooks } from '../webhooks/outbox';
import { watchCart } from './cart';
import { mergesOf } from './merges';
import { evaluateSegments } from './segments';

export interface BatchContext {
  tx: SqlClient;
  dialect: Dialect;
  entity: string;
  receivedAt: string;
  day: string;
  rules?: PlatformRules;
}

/** Before the profiles see an event: what it merges (needs the profiles as they were). */
export const beforeProfiles = (ctx: BatchContext, event: Envelope): Promise<Envelope[]> => mergesOf(ctx.tx, event);

/** The customer an event is about: its own, the identified one, or the one its browser became. */
const customerOf = async (tx: SqlClient, event: Envelope): Promise<string | undefined> => {
  if (event.type === 'entity-identified') return (event.body as { customerId?: string }).customerId;
  if (event.customerId) return event.customerId;
  if (!event.anonymousId) return undefined;
  const [alias] = await tx.all<{ customer_id: string }>('SELECT customer_id FROM profile_aliases WHERE entity = ? AND anonymous_id = ?', [
    event.entity,
    event.anonymousId,
  ]);
  return alias?.customer_id;
};

/** After the profiles: carts, segments, derived events stored, webhooks queued. */
export const afterBatch = async (ctx: BatchContext, inserted: Envelope[], merges: Envelope[]): Promise<void> => {
  const { tx, rules } = ctx;
  for (const event of inserted) await watchCart(tx, event, rules?.cartAbandonedAfterHours);
  const derived = [...merges];
  if (rules?.segments?.length) {
    const customers = new Set<string>();
    for (const event of inserted) {
      const customer = await customerOf(tx, event);
      if (customer) customers.add(customer);
    }
    const now = Date.parse(ctx.receivedAt);
    for (const customer of [...customers].sort()) derived.push(...(await evaluateSegments(tx, ctx.dialect, ctx.entity, customer, rules.segments, now)));
  }
  const stored = await insertDerived(tx, ctx.entity, ctx.receivedAt, ctx.day, derived);
  await enqueueWebhooks(tx, rules?.webhooks, [...inserted, ...stored], Date.parse(ctx.receivedAt));
};

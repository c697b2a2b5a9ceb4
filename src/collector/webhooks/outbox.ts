// The webhook outbox: a row per (rule, event) written in the transaction that stores the
// event, so nothing matched is ever forgotten. Its id is the delivery id the receiver sees on
// every attempt. Replicas claim due rows (SKIP LOCKED on PostgreSQL) with a lease: a replica
// that dies mid-send leaves a row that is claimed again once the lease ends (at least once).
// Retries back off for 24 hours, then the row is a dead letter, listed and retried by admins.
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../schema';
import { derivedEvent, stableId } from '../derived/envelope';
import type { Dialect } from '../storage/dialect';
import { insertDerived } from '../storage/events';
import type { SqlClient, SqlDb } from '../storage/sql';
import { dayIn } from '../usage';
import type { WebhookRule } from './rules';

const DAY = 86_400_000;
/** How long a claim holds a row: longer than a delivery's timeout. */
export const LEASE_MS = 60_000;

export interface OutboxItem {
  id: string;
  rule: string;
  url: string;
  payload: string;
  eventId: string;
  eventType: string;
  attempts: number;
}

export interface DeadLetter {
  id: string;
  rule: string;
  url: string;
  eventId: string;
  eventType: string;
  attempts: number;
  createdAt: string;
  lastError: string | null;
}

const valueAt = (body: unknown, path: string) =>
  path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), body);

export const matchesRule = (rule: WebhookRule, event: Envelope): boolean =>
  rule.on === event.type && Object.entries(rule.where ?? {}).every(([path, value]) => valueAt(event.body, path) === value);

/** Queue a delivery for every rule an event matches (in the transaction that stored it). */
export const enqueueWebhooks = async (tx: SqlClient, rules: WebhookRule[] | undefined, events: Envelope[], now: number): Promise<void> => {
  if (!rules?.length) return;
  const at = new Date(now).toISOString();
  const giveUp = new Date(now + DAY).toISOString();
  for (const event of events) {
    for (const rule of rules) {
      if (!matchesRule(rule, event)) continue;
      await tx.run(
        `INSERT INTO webhook_outbox (id, entity, rule, event_id, event_type, url, payload, created_at, next_at, give_up_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity, rule, event_id) DO NOTHING`,
        [randomUUID(), event.entity, rule.id, event.id, event.type, rule.url, JSON.stringify(event), at, at, giveUp],
      );
    }
  }
};

const DUE = `((state = 'pending' AND next_at <= ?) OR (state = 'sending' AND lease_until <= ?))`;

/** Claim up to `limit` due deliveries of an entity for this replica. */
export const claimWebhooks = (db: SqlDb, dialect: Dialect, entity: string, now: number, replica: string, limit: number): Promise<OutboxItem[]> =>
  db.transaction(async (tx) => {
    const at = new Date(now).toISOString();
    const rows = await tx.all<{ id: string; rule: string; url: string; payload: string; event_id: string; event_type: string; attempts: number }>(
      `SELECT id, rule, url, payload, event_id, event_type, attempts FROM webhook_outbox
       WHERE entity = ? AND ${DUE} ORDER BY next_at LIMIT ?${dialect.skipLocked}`,
      [entity, at, at, limit],
    );
    const lease = new Date(now + LEASE_MS).toISOString();
    const claimed: OutboxItem[] = [];
    for (const row of rows) {
      const ok = await tx.run(`UPDATE webhook_outbox SET state = 'sending', claimed_by = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ? AND ${DUE}`, [
        replica,
        lease,
        row.id,
        at,
        at,
      ]);
      if (ok === 1) {
        claimed.push({
          id: row.id,
          rule: row.rule,
          url: row.url,
          payload: row.payload,
          eventId: row.event_id,
          eventType: row.event_type,
          attempts: Number(row.attempts) + 1,
        });
      }
    }
    return claimed;
  });

/**
 * A delivery succeeded: mark it, and store its billable `execute-webhook` (id derived from the
 * delivery id, so a delivery sent twice after a lost lease is billed once).
 */
export const webhookDelivered = (db: SqlDb, entity: { entity: string; timeZone: string }, item: OutboxItem, now: number): Promise<boolean> =>
  db.transaction(async (tx) => {
    const at = new Date(now).toISOString();
    await tx.run(`UPDATE webhook_outbox SET state = 'delivered', delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ? AND state <> 'delivered'`, [
      at,
      item.id,
    ]);
    const event = JSON.parse(item.payload) as Envelope;
    const dispatch = derivedEvent(
      entity.entity,
      'execute-webhook',
      { deliveryId: item.id, webhookId: item.rule, url: item.url, eventId: item.eventId, eventType: item.eventType, attempts: item.attempts },
      { customerId: event.customerId, anonymousId: event.anonymousId },
      at,
      stableId(entity.entity, 'execute-webhook', item.id),
    );
    return (await insertDerived(tx, entity.entity, at, dayIn(now, entity.timeZone), [dispatch])).length === 1;
  });

/** A delivery failed: try again at `retryAt`, or keep it as a dead letter past its 24 hours. */
export const webhookFailed = (db: SqlDb, id: string, _now: number, error: string, retryAt: number): Promise<'pending' | 'dead'> =>
  db.transaction(async (tx) => {
    const [row] = await tx.all<{ give_up_at: string }>('SELECT give_up_at FROM webhook_outbox WHERE id = ?', [id]);
    const next = new Date(retryAt).toISOString();
    const state = !row || next > row.give_up_at ? 'dead' : 'pending';
    await tx.run(`UPDATE webhook_outbox SET state = ?, next_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND state = 'sending'`, [
      state,
      next,
      error.slice(0, 500),
      id,
    ]);
    return state;
  });

export const deadWebhooks = async (db: SqlClient, entity: string, limit: number): Promise<DeadLetter[]> =>
  (
    await db.all<{ id: string; rule: string; url: string; event_id: string; event_type: string; attempts: number; created_at: string; last_error: string | null }>(
      `SELECT id, rule, url, event_id, event_type, attempts, created_at, last_error FROM webhook_outbox
       WHERE entity = ? AND state = 'dead' ORDER BY created_at, id LIMIT ?`,
      [entity, limit],
    )
  ).map((r) => ({
    id: r.id,
    rule: r.rule,
    url: r.url,
    eventId: r.event_id,
    eventType: r.event_type,
    attempts: Number(r.attempts),
    createdAt: r.created_at,
    lastError: r.last_error,
  }));

/** Send a dead letter again, same delivery id, with a fresh 24 hours of retries. */
export const retryWebhook = async (db: SqlClient, entity: string, id: string, now: number): Promise<boolean> =>
  (await db.run(`UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_at = ?, give_up_at = ? WHERE entity = ? AND id = ? AND state = 'dead'`, [
    new Date(now).toISOString(),
    new Date(now + DAY).toISOString(),
    entity,
    id,
  ])) === 1;

// cart-abandoned: a visitor (or a customer) added to a cart and bought nothing for N hours.
// Each cart addition opens or extends the visitor's open *episode*, a row of `cart_watch`
// (one open per visitor, a partial unique index), due N hours after the last addition; a
// purchase closes it. A job in every replica claims due episodes through their rows (SKIP
// LOCKED on PostgreSQL, SQLite's single writer) and stores the event in the same transaction,
// with an id derived from the episode: exactly one cart-abandoned per episode.
import type { Envelope } from '../../schema';
import type { Dialect } from '../storage/dialect';
import { insertDerived } from '../storage/events';
import type { SqlClient, SqlDb } from '../storage/sql';
import type { PlatformRules } from '../storage/types';
import { enqueueWebhooks } from '../webhooks/outbox';
import { dayIn } from '../usage';
import { derivedEvent, stableId } from './envelope';

export const DEFAULT_CART_HOURS = 4;
const HOUR = 3_600_000;
/** Episodes one job run turns into events, per entity. */
const BATCH = 100;

/** Who a cart belongs to: the browser, else the customer a server event named. */
const subjectOf = (e: Envelope) => e.anonymousId ?? `customer:${e.customerId}`;

/** Follow a stored event: cart additions open or extend an episode, purchases close it. */
export const watchCart = async (tx: SqlClient, event: Envelope, hours = DEFAULT_CART_HOURS): Promise<void> => {
  if (event.type === 'cart-product-added') {
    const at = event.createdAt;
    const due = new Date(Date.parse(at) + hours * HOUR).toISOString();
    await tx.run(
      `INSERT INTO cart_watch (entity, subject, episode, anonymous_id, customer_id, started_at, last_added_at, due_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (entity, subject) WHERE state = 'open' DO UPDATE SET
         last_added_at = CASE WHEN excluded.last_added_at > cart_watch.last_added_at THEN excluded.last_added_at ELSE cart_watch.last_added_at END,
         due_at = CASE WHEN excluded.due_at > cart_watch.due_at THEN excluded.due_at ELSE cart_watch.due_at END,
         customer_id = COALESCE(excluded.customer_id, cart_watch.customer_id)`,
      [event.entity, subjectOf(event), event.id, event.anonymousId ?? null, event.customerId ?? null, at, at, due],
    );
  } else if (event.type === 'purchase') {
    // The purchase may come from the back end (a customer id) for a cart filled in a browser.
    const customer = event.customerId ?? null;
    await tx.run(
      `UPDATE cart_watch SET state = 'purchased' WHERE entity = ? AND state = 'open' AND (subject = ? OR subject = ?
         OR (CAST(? AS TEXT) IS NOT NULL AND (customer_id = ? OR subject IN (SELECT anonymous_id FROM profile_aliases WHERE entity = ? AND customer_id = ?))))`,
      [event.entity, subjectOf(event), `customer:${customer}`, customer, customer, event.entity, customer],
    );
  }
};

interface Episode {
  subject: string;
  episode: string;
  anonymous_id: string | null;
  customer_id: string | null;
  started_at: string;
  last_added_at: string;
}

interface Line {
  productId: string;
  variantId?: string;
  name?: string;
  quantity: number;
  price?: number;
  currency?: string;
}

/** What the cart holds: additions minus removals since the episode started. */
const cartOf = async (tx: SqlClient, entity: string, e: Episode) => {
  const rows = await tx.all<{ type: string; envelope: string }>(
    `SELECT type, envelope FROM events WHERE entity = ? AND type IN ('cart-product-added', 'cart-product-removed')
     AND (anonymous_id = ? OR (anonymous_id IS NULL AND customer_id = ?)) AND created_at >= ? ORDER BY created_at`,
    [entity, e.anonymous_id ?? '', e.customer_id ?? '', e.started_at],
  );
  const lines = new Map<string, Line>();
  let cartId: string | undefined;
  for (const row of rows) {
    const body = (JSON.parse(row.envelope) as Envelope).body as Record<string, unknown> & Line & { cartId?: string };
    const key = `${body.productId}\u0000${body.variantId ?? ''}`;
    const line = lines.get(key) ?? { productId: body.productId, ...(body.variantId ? { variantId: body.variantId } : {}), quantity: 0 };
    if (body.name) line.name = body.name;
    if (body.price !== undefined) line.price = body.price;
    if (body.currency) line.currency = body.currency;
    line.quantity += row.type === 'cart-product-added' ? body.quantity : -body.quantity;
    lines.set(key, line);
    cartId = body.cartId ?? cartId;
  }
  const items = [...lines.values()].filter((l) => l.quantity > 0);
  const value = Math.round(items.reduce((sum, l) => sum + (l.price ?? 0) * l.quantity, 0) * 100) / 100;
  return { items, value, currency: items.find((l) => l.currency)?.currency, cartId };
};

/** Claim the entity's due episodes and store their cart-abandoned events; how many were stored. */
export const abandonDueCarts = async (db: SqlDb, dialect: Dialect, rules: PlatformRules, now: number, replica: string): Promise<number> =>
  db.transaction(async (tx) => {
    const at = new Date(now).toISOString();
    const due = await tx.all<Episode>(
      `SELECT subject, episode, anonymous_id, customer_id, started_at, last_added_at FROM cart_watch
       WHERE entity = ? AND state = 'open' AND due_at <= ? ORDER BY due_at LIMIT ?${dialect.skipLocked}`,
      [rules.entity, at, BATCH],
    );
    const events: Envelope[] = [];
    for (const episode of due) {
      const cart = await cartOf(tx, rules.entity, episode);
      // The claim: only the transaction that moves the row out of 'open' emits.
      const claimed = await tx.run(
        `UPDATE cart_watch SET state = ?, claimed_by = ?, claimed_at = ? WHERE entity = ? AND subject = ? AND episode = ? AND state = 'open' AND claimed_by IS NULL`,
        [cart.items.length ? 'abandoned' : 'emptied', replica, at, rules.entity, episode.subject, episode.episode],
      );
      if (claimed !== 1 || !cart.items.length) continue;
      const body = {
        ...(cart.cartId ? { cartId: cart.cartId } : {}),
        items: cart.items,
        value: cart.value,
        ...(cart.currency ? { currency: cart.currency } : {}),
        startedAt: episode.started_at,
        lastAddedAt: episode.last_added_at,
      };
      const who = { anonymousId: episode.anonymous_id, customerId: episode.customer_id };
      events.push(derivedEvent(rules.entity, 'cart-abandoned', body, who, at, stableId(rules.entity, 'cart-abandoned', episode.subject, episode.episode)));
    }
    const stored = await insertDerived(tx, rules.entity, at, dayIn(now, rules.timeZone), events);
    await enqueueWebhooks(tx, rules.webhooks, stored, now);
    return stored.length;
  });

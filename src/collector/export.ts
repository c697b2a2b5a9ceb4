// Customer-action export (seed 001, Wasabi's import schema): our events mapped to customer
// actions, one JSON object per line. An interaction is identified by its customer, type,
// contract and promotion; the first time it is seen it is CREATED, every later time UPDATED
// (createdAt stays the first time, updatedAt is the new one). Mapping (README has the table):
//   register, created_user                   → SIGN_UP
//   created_subscription                     → SIGN_UP, with the subscription as contract
//   restart_subscription                     → SUBSCRIPTION_RESTARTED
//   cancel_subscription                      → SUBSCRIPTION_CANCELLED
//   voided_unsub_voucher_subscription        → PROMOTION_APPLIED (the voucher code)
//   purchase with a coupon                   → PROMOTION_APPLIED (the coupon)
import { createHash } from 'node:crypto';
import type { Envelope, Utm } from '../schema';
import { JOIN_ALIASES } from './profiles';
import type { Dialect, Fragment } from './storage/dialect';
import type { ExportRow, Storage } from './storage/types';

export type InteractionType = 'SIGN_UP' | 'SUBSCRIPTION_RESTARTED' | 'SUBSCRIPTION_CANCELLED' | 'PROMOTION_APPLIED';

export interface CustomerAction {
  eventType: 'CUSTOMER_ACTION';
  eventAction: 'CREATED' | 'UPDATED';
  version: 1;
  body: {
    interactionId: string;
    customerId: string;
    interaction: { type: InteractionType; subscriptionContractId?: string };
    utmParameters?: { utmSource?: string; utmMedium?: string; utmCampaign?: string; utmContent?: string; utmTerms?: string };
    createdAt: string;
    updatedAt: string;
  };
}

/** Custom event name → interaction type. */
const LIFECYCLE: Record<string, InteractionType> = {
  created_user: 'SIGN_UP',
  created_subscription: 'SIGN_UP',
  restart_subscription: 'SUBSCRIPTION_RESTARTED',
  cancel_subscription: 'SUBSCRIPTION_CANCELLED',
  voided_unsub_voucher_subscription: 'PROMOTION_APPLIED',
};

/** The mapped names as SQL literals: fixed words of this file, never input. */
const MAPPED_NAMES = Object.keys(LIFECYCLE)
  .map((name) => `'${name}'`)
  .join(', ');

interface Mapped {
  type: InteractionType;
  contract?: string;
  /** What makes two promotions different interactions: the voucher or coupon code. */
  promotion?: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The interaction an event stands for, or undefined when it is not a customer action. */
export const interactionOf = (event: Pick<Envelope, 'type' | 'body'>): Mapped | undefined => {
  const body = event.body as Record<string, unknown>;
  if (event.type === 'register') return { type: 'SIGN_UP' };
  if (event.type === 'purchase') return str(body.coupon) ? { type: 'PROMOTION_APPLIED', promotion: str(body.coupon) } : undefined;
  if (event.type !== 'custom-event') return undefined;
  const name = str(body.name);
  const type = name && Object.prototype.hasOwnProperty.call(LIFECYCLE, name) ? LIFECYCLE[name] : undefined;
  if (!type) return undefined;
  const props = (body.properties ?? {}) as Record<string, unknown>;
  if (name === 'created_user') return { type };
  return { type, contract: str(props.subscriptionId), promotion: str(props.voucherCode) };
};

/** UTM context → Wasabi's utmParameters (undefined when the event carries none of them). */
export const utmParameters = (utm: Utm | undefined): CustomerAction['body']['utmParameters'] => {
  if (!utm) return undefined;
  const out: Record<string, string> = {};
  const pairs: Array<[keyof Utm, string]> = [
    ['source', 'utmSource'],
    ['medium', 'utmMedium'],
    ['campaign', 'utmCampaign'],
    ['content', 'utmContent'],
    ['term', 'utmTerms'],
  ];
  for (const [from, to] of pairs) if (utm[from]) out[to] = utm[from]!;
  return Object.keys(out).length ? out : undefined;
};

const interactionId = (entity: string, customerId: string, m: Mapped) =>
  createHash('sha256')
    .update([entity, customerId, m.type, m.contract ?? '', m.promotion ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);

/**
 * The query of one page of export candidates (keyset on created_at, id), read page by page
 * rather than through one open cursor: a streamed response pauses between pages, and the
 * connection must stay free for others.
 */
export const exportPageQuery = (dialect: Dialect, entity: string, after: [string, string], limit: number): Fragment => {
  const coupon = dialect.value('e.envelope', ['body', 'coupon']);
  const name = dialect.text('e.envelope', ['body', 'name']);
  return {
    sql: `SELECT e.id AS id, e.created_at AS "createdAt", e.envelope AS envelope, a.customer_id AS alias
     FROM events e ${JOIN_ALIASES}
     WHERE e.entity = ? AND (e.created_at, e.id) > (?, ?) AND (e.type = 'register'
       OR (e.type = 'purchase' AND ${coupon.sql} IS NOT NULL)
       OR (e.type = 'custom-event' AND ${name.sql} IN (${MAPPED_NAMES})))
     ORDER BY e.created_at, e.id LIMIT ?`,
    params: [entity, ...after, ...coupon.params, ...name.params, limit],
  };
};

/**
 * The customer actions of one entity, oldest first, computed while reading (nothing is kept
 * but the first time of each interaction). Events whose customer is unknown — anonymous and
 * never identified — are skipped: the schema requires a customerId.
 */
export async function* customerActions(
  storage: Pick<Storage, 'exportPage'>,
  entity: string,
  options: { since?: string; pageSize?: number } = {},
): AsyncGenerator<CustomerAction> {
  const { since = '', pageSize = 500 } = options;
  const firstSeen = new Map<string, string>();
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = await storage.exportPage(entity, after, pageSize);
    if (!rows.length) return;
    const last = rows[rows.length - 1]!;
    after = [last.createdAt, last.id];
    for (const row of rows) {
      // Earlier events are still read: they decide what is CREATED and what UPDATED.
      const action = actionOf(row, entity, firstSeen);
      if (action && action.body.updatedAt >= since) yield action;
    }
  }
}

/** The customer action of one stored event, remembering when each interaction was first seen. */
const actionOf = (row: Pick<ExportRow, 'envelope' | 'alias'>, entity: string, firstSeen: Map<string, string>): CustomerAction | undefined => {
  const event = JSON.parse(row.envelope) as Envelope;
  const mapped = interactionOf(event);
  if (!mapped) return undefined;
  // An operator acting for a subscriber names them in userId; a register event may name the
  // new account; otherwise the event's own customer, or the profile its browser joined.
  const props = ((event.body as Record<string, unknown>).properties ?? {}) as Record<string, unknown>;
  const own = event.type === 'register' ? str((event.body as Record<string, unknown>).customerId) : undefined;
  const customerId = str(props.userId) ?? own ?? event.customerId ?? row.alias ?? undefined;
  if (!customerId) return undefined;
  const id = interactionId(entity, customerId, mapped);
  const createdAt = firstSeen.get(id);
  if (!createdAt) firstSeen.set(id, event.createdAt);
  const utm = utmParameters(event.context?.utm);
  return {
    eventType: 'CUSTOMER_ACTION',
    eventAction: createdAt ? 'UPDATED' : 'CREATED',
    version: 1,
    body: {
      interactionId: id,
      customerId,
      interaction: mapped.contract ? { type: mapped.type, subscriptionContractId: mapped.contract } : { type: mapped.type },
      ...(utm ? { utmParameters: utm } : {}),
      createdAt: createdAt ?? event.createdAt,
      updatedAt: event.createdAt,
    },
  };
};

/** One NDJSON line; the version is written `1.0` as the schema's documentation prints it. */
export const toLine = (action: CustomerAction): string =>
  `{"eventType":"${action.eventType}","eventAction":"${action.eventAction}","version":1.0,"body":${JSON.stringify(action.body)}}\n`;

/** A streamed NDJSON response of the entity's customer actions (updated at or after `since`, an ISO time). */
export const exportResponse = (storage: Pick<Storage, 'exportPage'>, entity: string, since?: string): Response => {
  const actions = customerActions(storage, entity, { since });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A few hundred lines per pull: big exports stream without holding the database long.
      let chunk = '';
      for (let i = 0; i < 200; i++) {
        const next = await actions.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += toLine(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await actions.return(undefined);
    },
  });
  return new Response(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
};

// The subscription lifecycle (seed 002) as built-in named custom events:
// `track('custom-event', { name: 'pause_subscription', properties: { subscriptionId } })`.
// Each carries the ids of the resources it touches and, when a person (the shopper or a store
// operator) did it, `actorEmail`. Kept out of the script-tag bundle to keep it small: the npm
// entry and the collector register these schemas, the script tag checks only the generic shape.
import * as z from './lib/zod';
import { defineCustomEvent } from './schemas/custom';
import { email, id, text } from './schemas/fields';

const optionalId = z.optional(id);
const actorEmail = z.optional(email);
/** Length of a grace period, or of a pause accepted to avoid a cancellation. */
const months = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** Keys of the resource ids, in the order the activity log prints them. */
export const ID_KEYS = ['userId', 'subscriptionId', 'declinaisonId', 'addressId', 'shippingBoxId', 'voucherCode'] as const;

// `userId` is the subscriber's customer id: optional when the shopper acts on their own
// account (the event's customerId says who), needed when an operator acts for them.
const on = (ids: Record<string, z.ZodMiniType>) => z.object({ userId: optionalId, ...ids, actorEmail });
const subscription = { subscriptionId: id };

export const lifecycleEvents = {
  created_user: z.object({ userId: id, actorEmail }),
  created_declinaison: on({ declinaisonId: id }),
  created_address: on({ addressId: id }),
  created_subscription: on({ ...subscription, declinaisonId: optionalId, addressId: optionalId, planId: optionalId }),
  /** A transaction for the subscription generated its shipping box: automatic, no actor. */
  created_shippingbox: on({ ...subscription, shippingBoxId: id, orderId: optionalId }),
  change_address_subscription: on({ ...subscription, addressId: id }),
  change_declinaison_subscription: on({ ...subscription, declinaisonId: id }),
  updated_subscription: on({ ...subscription, shippingBoxId: optionalId }),
  pause_subscription: on(subscription),
  enable_grace_subscription: on({ ...subscription, months }),
  voided_unsub_postpone_subscription: on({ ...subscription, months: z.optional(months) }),
  voided_unsub_voucher_subscription: on({ ...subscription, voucherCode: id }),
  restart_subscription: on(subscription),
  cancel_subscription: on({ ...subscription, reason: z.optional(text(200)) }),
};

export type LifecycleAction = keyof typeof lifecycleEvents;
export type LifecycleProperties<A extends LifecycleAction> = z.infer<(typeof lifecycleEvents)[A]>;

export const LIFECYCLE_ACTIONS = Object.keys(lifecycleEvents) as LifecycleAction[];

export const isLifecycleAction = (name: unknown): name is LifecycleAction => typeof name === 'string' && Object.prototype.hasOwnProperty.call(lifecycleEvents, name);

/** Register every lifecycle schema, so `track('custom-event', …)` validates their properties. */
export const defineLifecycleEvents = (): void => {
  for (const name of LIFECYCLE_ACTIONS) defineCustomEvent(name, lifecycleEvents[name]);
};

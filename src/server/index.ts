// `shoptrail/server`: the Node SDK for a store's back end (issue 16). The same catalog and
// envelope as the browser's tracker, sent with a secret server key; and the webhook signature
// check for the store's receivers.
export {
  createServerTracker,
  type ServerErrorCode,
  type ServerTrackOptions,
  type ServerTrackResult,
  type ServerTracker,
  type ServerTrackerError,
  type ServerTrackerOptions,
} from './tracker';
export { validateServerEnvelope } from './envelope';
export { verifyWebhook } from '../collector/webhooks/sign';
export { catalog, lookup, type BodyOf, type EventType } from '../catalog';
export type { Envelope } from '../envelope';
export { LIFECYCLE_ACTIONS, type LifecycleAction, type LifecycleProperties } from '../lifecycle';

import { defineLifecycleEvents } from '../lifecycle';

// Subscription lifecycle events (created_shippingbox …) are validated with their own schemas.
defineLifecycleEvents();

// The Node entry (`shoptrail/schema`): the same catalog, schemas and protocol the tracker
// uses, for collectors and tests. No DOM, no IndexedDB.
export { catalog, lookup, rankOf, type CatalogEntry, type EventType, type Origin, type Priority } from './catalog';
export { type Envelope, type EventContext, type Utm, WIRE_VERSION } from './envelope';
export * from './protocol';
export { batchRequestSchema, contextSchema, envelopeSchema, utmSchema, validateEnvelope } from './schemas/wire';
export { customSchema, defineCustomEvent } from './schemas/custom';
export { browserType, formatIssues, validateBody, type Checked, type Invalid, type InvalidCode } from './validate';
export {
  ID_KEYS,
  LIFECYCLE_ACTIONS,
  defineLifecycleEvents,
  isLifecycleAction,
  lifecycleEvents,
  type LifecycleAction,
  type LifecycleProperties,
} from './lifecycle';

import { defineLifecycleEvents } from './lifecycle';

// The collector validates the lifecycle events with their own schemas (the script tag does not ship them).
defineLifecycleEvents();

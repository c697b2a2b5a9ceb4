// The collector protocol (DESIGN.md "Collector protocol"): paths, limits and message shapes
// the tracker and the collector share. A request is `{ writeKey, sentAt, batchId, events }`,
// written as text by src/transport.ts.
export const BATCH_PATH = '/v1/batch';
/** `keepalive` fetches and `sendBeacon` share a 64 KiB in-flight budget per page. */
export const MAX_BATCH_BYTES = 64 * 1024;
/** One event may take at most half a batch, so a batch always fits at least one (the collector refuses more, event by event). */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_EVENTS = 500;
/** A body may nest this many levels (objects and arrays): the collector refuses envelopes over 32. */
export const MAX_BODY_DEPTH = 20;
/** A body may take this many bytes of JSON, leaving the rest of MAX_EVENT_BYTES to the envelope around it. */
export const MAX_BODY_BYTES = MAX_EVENT_BYTES - 4096;
/** Query parameter naming the body's encoding, for CORS-simple requests that cannot set headers. */
export const ENCODING_PARAM = 'encoding';
/** Query parameter carrying the write key too, so a collector can check it before reading the body (issue 18). */
export const WRITE_KEY_PARAM = 'writeKey';

/** The entity's account-wide consumption in the current billing cycle. */
export interface AccountUsage {
  cycleStart: string;
  cycleEnd: string;
  used: number;
  allowance: number;
  /** Projected use at the end of the cycle, from the average daily rate. */
  projected?: number;
  /** The day (YYYY-MM-DD) the allowance would run out at that rate, or null. */
  exhaustsOn?: string | null;
}

export interface RejectedEvent {
  id: string;
  error: string;
}

export interface BatchResponse {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
  usage?: AccountUsage;
}

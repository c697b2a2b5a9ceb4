// Size limits of one request, and decoding a gzip body without trusting its size: a 1 MB
// gzip of zeros inflates to 1 GB, so inflation stops at a hard cap instead of at the end.
import { gunzipSync } from 'node:zlib';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_EVENT_BYTES } from '../schema';

export interface Limits {
  /** Bytes on the wire (compressed or not). */
  maxBodyBytes: number;
  /** Bytes of JSON after decompression. */
  maxDecodedBytes: number;
  maxEvents: number;
  /** Bytes of one event's JSON. */
  maxEventBytes: number;
  /** Batches being read, decoded, parsed and validated at once, in this process (admission.ts). */
  maxInFlight: number;
  /** Of those, batches without `?writeKey=` (old clients; floods without a key): they are read before their key is known. */
  maxUnkeyedInFlight: number;
  /** A body not received within this long answers 408: a slot is not held by a trickle. */
  bodyReadMs: number;
  /** An admin report running longer is stopped and answers 503 (storage/sql.ts ReportTimeout). */
  reportTimeoutMs: number;
}

// The tracker sends at most 64 KiB of JSON per batch; other clients get room for 16 of those.
export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 16 * MAX_BATCH_BYTES,
  maxDecodedBytes: 16 * MAX_BATCH_BYTES,
  maxEvents: MAX_BATCH_EVENTS,
  maxEventBytes: MAX_EVENT_BYTES,
  maxInFlight: 32,
  maxUnkeyedInFlight: 16,
  bodyReadMs: 10_000,
  reportTimeoutMs: 10_000,
};

/**
 * Levels of objects and arrays in one envelope (the envelope itself is level 1, its body 2).
 * Deeper events are refused alone: SQLite's JSON functions stop at 1,000 levels, and the
 * schemas and serialisers recurse.
 */
export const MAX_EVENT_DEPTH = 32;

export type Decoded = { ok: true; text: string } | { ok: false; status: 400 | 413; error: string };

/**
 * The body as text, inflated when gzip, never more than `maxDecodedBytes`. Inflated on this thread:
 * a batch inflates in well under a millisecond (less than its JSON.parse), while the thread pool's
 * round trips, 16 KiB at a time, cost 3 to 6 times the CPU of the inflating itself.
 */
export const decodeBody = async (body: Buffer, gzip: boolean, limits: Limits): Promise<Decoded> => {
  if (!gzip) {
    if (body.length > limits.maxDecodedBytes) return { ok: false, status: 413, error: `body over ${limits.maxDecodedBytes} bytes` };
    return { ok: true, text: body.toString('utf8') };
  }
  try {
    const inflated = gunzipSync(body, { maxOutputLength: limits.maxDecodedBytes });
    return { ok: true, text: inflated.toString('utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      return { ok: false, status: 413, error: `body inflates to over ${limits.maxDecodedBytes} bytes` };
    }
    return { ok: false, status: 400, error: 'body is not valid gzip' };
  }
};

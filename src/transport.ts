// Send one batch to the collector and say what happened. Every request is CORS-"simple"
// (POST, text/plain, no custom headers) so a collector on another origin costs no preflight,
// and the same body works for fetch, keepalive fetch and sendBeacon; the encoding travels in
// the query string because a simple request cannot set Content-Encoding. The write key travels
// there too (and stays in the body for older collectors), so a collector can refuse a wrong key
// before it reads the body.
import { BATCH_PATH, type BatchResponse, ENCODING_PARAM, WRITE_KEY_PARAM } from './protocol';
import { canGzip, gzip } from './lib/gzip';
import type { QueueItem } from './queue';
import { parseRetryAfter, verdictFor, type Verdict } from './retry';
import type { BatchReport, Transport } from './types';

/** Below this a gzip header and a stream round trip cost more than they save. */
const GZIP_MIN_BYTES = 1024;
/** A collector that never answers must not hold the flush (and its cross-tab lock) forever. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface SendResult {
  verdict: Verdict;
  report: BatchReport;
  response?: BatchResponse;
  /** Delay the collector asked for (Retry-After), in ms. */
  retryAfterMs?: number;
}

interface TransportOptions {
  endpoint: string;
  writeKey: string;
  gzip: boolean;
}

/** UTF-8 bytes; once per batch, so an encoded copy costs less than carrying src/lib/utf8.ts in this chunk. */
const bytesOf = (text: string): number => new TextEncoder().encode(text).length;

/** The request body; events are already JSON, so a batch is joined, not re-serialised. */
export const batchBody = (writeKey: string, batchId: string, items: QueueItem[]): string =>
  `{"writeKey":${JSON.stringify(writeKey)},"sentAt":"${new Date().toISOString()}","batchId":"${batchId}","events":[${items.map((item) => item.json).join(',')}]}`;

/** Bytes of a batch body around its events (`{"writeKey":…,"events":[` and `]}`); add one comma per event. */
export const batchOverhead = (writeKey: string): number => 110 + bytesOf(JSON.stringify(writeKey));

/**
 * A batch's id, for logs and listeners: the collector dedupes events, not batches, so it needs no
 * UUID (src/lib/uuid.ts would cost this chunk 300 bytes); at most 36 characters, as batchOverhead counts.
 */
const newBatchId = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 14);

export const send = async (items: QueueItem[], transport: Transport, options: TransportOptions): Promise<SendResult> => {
  const batchId = newBatchId();
  const json = batchBody(options.writeKey, batchId, items);
  const encoded = new TextEncoder().encode(json);
  const bytes = encoded.length;
  let body: string | ArrayBuffer = json;
  let wireBytes = bytes;
  let encoding: BatchReport['encoding'] = 'identity';
  let url = `${options.endpoint}${BATCH_PATH}?${WRITE_KEY_PARAM}=${encodeURIComponent(options.writeKey)}`;
  // Compression is asynchronous, so only requests that can wait for it get it: not page hide.
  if (transport === 'fetch' && options.gzip && bytes >= GZIP_MIN_BYTES && canGzip()) {
    try {
      const zipped = await gzip(encoded);
      body = zipped;
      wireBytes = zipped.byteLength;
      encoding = 'gzip';
      url += `&${ENCODING_PARAM}=gzip`;
    } catch {
      // send it as it is
    }
  }
  const report: BatchReport = {
    batchId,
    ids: items.map((item) => item.id),
    bytes,
    wireBytes,
    encoding,
    transport,
    status: 0,
    outcome: 'retry',
  };

  if (transport === 'beacon') {
    const queued = navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
    report.outcome = queued ? 'handed-off' : 'retry';
    return { verdict: queued ? 'ack' : 'retry', report };
  }

  let response: Response;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/plain' },
      keepalive: transport === 'keepalive',
      credentials: 'omit',
      mode: 'cors',
      signal: abort.signal,
    });
  } catch (error) {
    clearTimeout(timer);
    report.reason = abort.signal.aborted ? 'timed out' : error instanceof Error ? error.message : String(error);
    return { verdict: 'retry', report };
  }

  report.status = response.status;
  const verdict = verdictFor(response.status);
  // An unreadable body reads as undefined, also when aborted.
  const payload: Record<string, unknown> | undefined = await response.json().catch(() => undefined);
  clearTimeout(timer);
  report.outcome = verdict === 'ack' ? 'acked' : verdict === 'drop' ? 'dropped' : verdict;
  if (verdict !== 'ack') {
    report.reason = typeof payload?.error === 'string' ? payload.error.slice(0, 300) : `HTTP ${response.status}`;
  }
  const retryAfterMs =
    parseRetryAfter(response.headers.get('Retry-After')) ?? (typeof payload?.retryAfter === 'number' ? parseRetryAfter(String(payload.retryAfter)) : undefined);
  return {
    verdict,
    report,
    response: verdict === 'ack' ? (payload as unknown as BatchResponse | undefined) : undefined,
    retryAfterMs,
  };
};

// Send one batch to the collector and say what happened. Every request is CORS-"simple"
// (POST, text/plain, no custom headers) so a collector on another origin costs no preflight,
// and the same body works for fetch, keepalive fetch and sendBeacon; the encoding travels in
// the query string because a simple request cannot set Content-Encoding. The write key travels
// there too (and stays in the body for older collectors), so a collector can refuse a wrong key
// before it reads the body.
import { type Answer, bodyOf, type Post, post } from './post';
import { BATCH_PATH, type BatchResponse, WRITE_KEY_PARAM } from './protocol';
import type { QueueItem } from './queue';
import { parseRetryAfter, verdictFor, type Verdict } from './retry';
import { offThread } from './sender';
import type { BatchReport, Transport } from './types';

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

/** The request body up to its events (src/post.ts's bodyOf joins them). */
export const batchHead = (writeKey: string, batchId: string): string =>
  `{"writeKey":${JSON.stringify(writeKey)},"sentAt":"${new Date().toISOString()}","batchId":"${batchId}","events":[`;

/** Bytes of a batch body around its events (`{"writeKey":…,"events":[` and `]}`); add one comma per event. */
export const batchOverhead = (writeKey: string): number => 110 + bytesOf(JSON.stringify(writeKey));

/**
 * A batch's id, for logs and listeners: the collector dedupes events, not batches, so it needs no
 * UUID (src/lib/uuid.ts would cost this chunk 300 bytes); at most 36 characters, as batchOverhead counts.
 */
const newBatchId = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 14);

/** What a beacon answers: only whether the browser took it. */
const beacon = (request: Post): Answer => {
  const json = bodyOf(request);
  const bytes = bytesOf(json);
  const queued = navigator.sendBeacon(request.url, new Blob([json], { type: 'text/plain' }));
  return { status: queued ? 202 : 0, bytes, wireBytes: bytes, encoding: 'identity' };
};

export const send = async (items: QueueItem[], transport: Transport, options: TransportOptions): Promise<SendResult> => {
  const batchId = newBatchId();
  const request: Post = {
    url: `${options.endpoint}${BATCH_PATH}?${WRITE_KEY_PARAM}=${encodeURIComponent(options.writeKey)}`,
    head: batchHead(options.writeKey, batchId),
    events: items.map((item) => item.json),
    gzip: transport === 'fetch' && options.gzip,
    keepalive: transport === 'keepalive',
  };
  // What may wait for its answer leaves from the sender worker; what the page's hide sends, from the page.
  const answer = transport === 'beacon' ? beacon(request) : await (transport === 'fetch' ? offThread(request) : post(request));
  const { status, payload } = answer;
  const report: BatchReport = {
    batchId,
    ids: items.map((item) => item.id),
    bytes: answer.bytes,
    wireBytes: answer.wireBytes,
    encoding: answer.encoding,
    transport,
    status: 0,
    outcome: 'retry',
  };
  if (transport === 'beacon') {
    report.outcome = status ? 'handed-off' : 'retry';
    return { verdict: status ? 'ack' : 'retry', report };
  }
  if (!status) {
    report.reason = answer.error;
    return { verdict: 'retry', report };
  }
  report.status = status;
  const verdict = verdictFor(status);
  report.outcome = verdict === 'ack' ? 'acked' : verdict === 'drop' ? 'dropped' : verdict;
  if (verdict !== 'ack') report.reason = typeof payload?.error === 'string' ? payload.error.slice(0, 300) : `HTTP ${status}`;
  const retryAfterMs = parseRetryAfter(answer.retryAfter) ?? (typeof payload?.retryAfter === 'number' ? parseRetryAfter(String(payload.retryAfter)) : undefined);
  return {
    verdict,
    report,
    response: verdict === 'ack' ? (payload as unknown as BatchResponse | undefined) : undefined,
    retryAfterMs,
  };
};

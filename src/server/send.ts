// One POST of a batch to the collector with a server key: gzip, a timeout, and the answer as a
// value (never a throw): acknowledged, retry later (how long), split (413), or dropped.
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Envelope, RejectedEvent } from '../schema';
import { retryable, retryAfterMs } from './backoff';

const gzip = promisify(gzipCb);

export type SendResult =
  | { kind: 'ok'; rejected: RejectedEvent[] }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'split'; error: string }
  | { kind: 'drop'; error: string };

export interface SendOptions {
  endpoint: string;
  serverKey: string;
  gzip: boolean;
  timeoutMs: number;
  fetch: typeof fetch;
  /** Aborted by close() once its time is up. */
  stop: AbortSignal;
}

export const sendBatch = async (options: SendOptions, events: Envelope[]): Promise<SendResult> => {
  const json = JSON.stringify({ sentAt: new Date().toISOString(), batchId: randomUUID(), events });
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: `Bearer ${options.serverKey}` };
  let body: BodyInit = json;
  if (options.gzip) {
    body = (await gzip(json)) as unknown as BodyInit; // a Buffer: Node's fetch sends its bytes
    headers['Content-Encoding'] = 'gzip';
  }
  let response: Response;
  try {
    response = await options.fetch(`${options.endpoint.replace(/\/+$/, '')}/v1/batch`, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.stop]),
    });
  } catch (error) {
    // Refused, reset, timed out: nothing is known to be stored, so send again (ids dedupe).
    return { kind: 'retry', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) {
    try {
      return { kind: 'ok', rejected: (JSON.parse(text) as { rejected?: RejectedEvent[] }).rejected ?? [] };
    } catch {
      return { kind: 'ok', rejected: [] };
    }
  }
  const error = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  if (response.status === 413) return { kind: 'split', error };
  if (retryable(response.status)) return { kind: 'retry', error, retryAfterMs: retryAfterMs(response.headers.get('Retry-After')) };
  return { kind: 'drop', error };
};

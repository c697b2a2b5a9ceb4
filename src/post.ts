// One request to the collector: encode, gzip, fetch, read the answer. Plain data in and out,
// so that it runs where src/sender.ts puts it: in the sender worker, or in the page.
import { ENCODING_PARAM } from './protocol';
import { canGzip, gzip } from './lib/gzip';

/** Below this a gzip header and a stream round trip cost more than they save. */
const GZIP_MIN_BYTES = 1024;
/** A collector that never answers must not hold the flush (and its cross-tab lock) forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface Post {
  url: string;
  /** The body's JSON up to its events array (src/transport.ts's batchHead). */
  head: string;
  /** Each event's JSON: joined where the body is made, since the worker takes an array of strings for half what one long string costs. */
  events: string[];
  /** Compress when it pays (never for keepalive: compression is asynchronous, the page may be going). */
  gzip: boolean;
  keepalive: boolean;
}

export interface Answer {
  /** HTTP status; 0 when no answer came (`error` says why). */
  status: number;
  /** UTF-8 bytes of the JSON body. */
  bytes: number;
  /** Bytes sent, after compression. */
  wireBytes: number;
  encoding: 'identity' | 'gzip';
  /** The answer's JSON body, when it had one. */
  payload?: Record<string, unknown>;
  retryAfter?: string | null;
  error?: string;
}

/** The request body: events are already JSON, so a batch is joined, not re-serialised. */
export const bodyOf = (request: Post): string => `${request.head}${request.events.join(',')}]}`;

export const post = async (request: Post): Promise<Answer> => {
  const json = bodyOf(request);
  const encoded = new TextEncoder().encode(json);
  const answer: Answer = { status: 0, bytes: encoded.length, wireBytes: encoded.length, encoding: 'identity' };
  let body: string | ArrayBuffer = json;
  let url = request.url;
  if (request.gzip && answer.bytes >= GZIP_MIN_BYTES && canGzip()) {
    try {
      body = await gzip(encoded);
      answer.wireBytes = body.byteLength;
      answer.encoding = 'gzip';
      url += `&${ENCODING_PARAM}=gzip`;
    } catch {
      // send it as it is
    }
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/plain' },
      keepalive: request.keepalive,
      credentials: 'omit',
      mode: 'cors',
      signal: abort.signal,
    });
    answer.status = response.status;
    answer.retryAfter = response.headers.get('Retry-After');
    // An unreadable body reads as undefined, also when aborted.
    answer.payload = await response.json().catch(() => undefined);
  } catch (error) {
    answer.error = abort.signal.aborted ? 'timed out' : error instanceof Error ? error.message : String(error);
  }
  clearTimeout(timer);
  return answer;
};

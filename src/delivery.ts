// Delivery, the tracker's destination (a plugin like any other): when to flush and what to do
// with each answer. Events leave the queue only when the collector acknowledged them (2xx) or
// refused them for good (src/retry.ts: a 4xx other than 408, 410, 429 and 460; 501, 505 and
// 511); everything else waits in IndexedDB for a retry, a later page, or another tab. A refused
// write key (401/403) stops this page's sending and keeps the events for the next page load.
// Owns the Retry-After that outlives a page (`<name>-retry-at` in localStorage).
import { withLock } from './lib/lock';
import { readJson, writeJson } from './lib/storage';
import type { Plugin } from './plugin';
import { createIsolation, isolate, mayBePoison, pick, stored } from './poison';
import { type BatchResponse, MAX_BATCH_BYTES } from './protocol';
import { withEvents } from './lazyEvents';
import { bound, type QueueItem, read, remove, settle as settleQueue, size, unsent } from './queue';
import { backoffDelay, RETRY_AFTER_CAP_MS } from './retry';
import { batchOverhead, type SendResult, send } from './transport';
import type { FlushResult, Transport } from './types';

/**
 * Take items, oldest first, while they fit in one request of at most `maxBytes`; when the last
 * segment (src/queue.ts) would be cut, only the whole ones before it, so the queue deletes what
 * was delivered without reading and writing the rest of a segment again.
 */
const fitBatch = (items: QueueItem[], maxBytes: number, overhead: number): QueueItem[] => {
  let bytes = overhead;
  let whole = 0;
  for (const [i, item] of items.entries()) {
    if (bytes + item.bytes + 1 > maxBytes && i) return items.slice(0, whole || i);
    bytes += item.bytes + 1;
    if (item.s !== items[i + 1]?.s) whole = i + 1;
  }
  return items;
};

const hasKeepalive = (): boolean => typeof Request === 'function' && 'keepalive' in Request.prototype;

export const delivery: Plugin = (core) => {
  const { config, queue, emit } = core;
  bound(queue); // what leaves the queue is delivery's to decide, the oldest unimportant events included
  /** Whether events may be sent at all (consent granted, endpoint set). */
  const canSend = () => core.consentState() === 'granted' && !!config.endpoint;
  const overhead = batchOverhead(config.writeKey);
  const options = { endpoint: config.endpoint, writeKey: config.writeKey, gzip: config.gzip };
  let running: Promise<FlushResult> | undefined;
  let attempt = 0;
  /** Isolating an event the collector keeps failing on (src/poison.ts). */
  const isolation = createIsolation(config.maxBatchEvents);
  /** A Retry-After outlives the page that got it: the next page must not ask again at once. */
  const retryKey = `${config.name}-retry-at`;
  let retryAt = Math.min(Number(readJson(retryKey)) || 0, Date.now() + RETRY_AFTER_CAP_MS);
  /** Status of the last failed send: 0 is a network error, which going online may cure. */
  let failedStatus = -1;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let sinceQueued = 0;
  /** Ids handed to the browser on this page's hide, so a second hide event does not resend them. */
  const handedOff = new Set<string>();
  /** The collector refused the write key or origin (401/403): nothing more is sent from this page. */
  let refused = false;
  /** Events may be waiting from an earlier page: look once at start. */
  let dirty = true;

  const scheduleRetry = (delay: number) => {
    retryAt = Date.now() + delay;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void flush(false), delay);
  };

  /** Remove events without delivery, and say why. */
  const drop = async (items: QueueItem[], reason: string): Promise<number> => {
    await remove(queue, items);
    emit('dropped', withEvents({ reason }, items));
    return 0;
  };

  /** Apply an answer to the queue and tell listeners. Returns how many events left the queue as stored. */
  const settle = async (batch: QueueItem[], result: SendResult): Promise<number> => {
    const { verdict, report } = result;
    emit('batch', report);
    if (verdict === 'refused' && !refused) {
      refused = true;
      // A configuration error on the store's side: said loudly, once, even without debug.
      const message = `write key refused (HTTP ${report.status}): events kept, none sent from this page`;
      emit('error', { code: 'write-key-refused', message });
      console.warn(`[shoptrail] ${message}`);
    }
    if (verdict === 'drop') return drop(batch, `http-${report.status}`);
    if (verdict !== 'ack') return 0;
    await remove(queue, batch);
    const response: Partial<BatchResponse> = result.response ?? {};
    const rejected = new Map((Array.isArray(response.rejected) ? response.rejected : []).map((r) => [r.id, r.error]));
    // Told from the items: only a rejected event (rare) is parsed here; `acked` parses the rest
    // if a listener reads them.
    const stored: QueueItem[] = [];
    for (const item of batch) {
      const error = rejected.get(item.id);
      if (error === undefined) stored.push(item);
      else emit('rejected', { event: JSON.parse(item.json), error: String(error) });
    }
    emit('acked', withEvents({ batchId: report.batchId }, stored));
    if (response.usage) emit('usage', response.usage);
    return stored.length;
  };

  /** Back off after a failure: schedule the next try and report what waits. */
  const later = async (delivered: number, delay: number): Promise<FlushResult> => {
    attempt++;
    scheduleRetry(delay);
    const remaining = await size(queue);
    emit('queue', { size: remaining, storage: queue.mode });
    return { delivered, remaining, retryInMs: delay };
  };

  const drain = async (): Promise<FlushResult> => {
    let delivered = 0;
    let limit = config.maxBatchEvents;
    for (;;) {
      const { suspects } = isolation;
      const items = pick(isolation, await read(queue, Math.min(limit, isolation.cap) + suspects.size), limit);
      if (!items.length && suspects.size) {
        // Nothing else to prove the collector healthy with: the suspects go back, after a pause.
        suspects.clear();
        return later(delivered, backoffDelay(attempt));
      }
      if (!items.length) {
        dirty = false;
        emit('queue', { size: 0, storage: queue.mode });
        return { delivered, remaining: 0 };
      }
      const batch = fitBatch(items, MAX_BATCH_BYTES, overhead);
      const result = await send(batch, 'fetch', options);
      const again = mayBePoison(result) && isolate(isolation, batch, attempt, config.maxBatchEvents);
      const delay = result.verdict === 'retry' && !again ? (result.retryAfterMs ?? backoffDelay(attempt)) : 0;
      if (result.verdict === 'retry') result.report.retryInMs = delay;
      delivered += await settle(batch, result);
      if (refused) return { delivered, remaining: await size(queue) };
      if (again) continue;
      if (result.verdict === 'split') {
        if (batch.length > 1) {
          limit = Math.max(1, batch.length >> 1); // too large for the collector: halve and go on
          continue;
        }
        // One event the collector finds too large will never fit: record why and move on.
        await drop(batch, 'too-large');
        continue;
      }
      if (result.verdict === 'retry') {
        failedStatus = result.report.status;
        if (result.retryAfterMs !== undefined) writeJson(retryKey, Date.now() + delay);
        return later(delivered, delay);
      }
      if (result.verdict === 'ack') {
        // Stored without them: the suspects alone make the collector fail, and would block the queue.
        const poison = stored(isolation, config.maxBatchEvents);
        if (poison.length) await drop(poison, 'poison');
      }
      attempt = 0;
      failedStatus = -1;
    }
  };

  const flush = (wait = true): Promise<FlushResult> => {
    if (running) return running;
    const idle = async (): Promise<FlushResult> => ({ delivered: 0, remaining: await size(queue) });
    if (!canSend() || refused) return idle();
    // Offline is reliable when navigator says so; "online" is not, so that case just tries.
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return idle();
    const backoff = retryAt - Date.now();
    if (backoff > 0) return size(queue).then((remaining) => ({ delivered: 0, remaining, retryInMs: backoff }));
    sinceQueued = 0;
    running = (async () => {
      try {
        const result = await withLock(`${config.name}-flush`, wait, drain);
        return result ?? (await idle()); // another tab holds the lock and is flushing
      } catch (error) {
        emit('error', { code: 'internal', message: `flush failed: ${error instanceof Error ? error.message : String(error)}` });
        return idle();
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const interval = setInterval(() => {
    if (dirty) void flush(false);
  }, config.flushInterval);

  // The first look at the queue waits for the page to settle, off the load's critical path.
  const startTimer = setTimeout(() => void flush(false), Math.min(1000, config.flushInterval));

  const undos = [
    core.destination({
      flush,
      queued() {
        dirty = true;
        // Never flush inside the caller's track(): the next task is soon enough.
        if (++sinceQueued === config.flushAt) setTimeout(() => void flush(false), 0);
      },
      online() {
        // A backoff after network errors ends when the network returns; a Retry-After does not.
        if (failedStatus === 0) {
          retryAt = 0;
          clearTimeout(retryTimer);
        }
        void flush(false);
      },
    }),
    // The queue already spilled: hand this tab's unsent events to the browser.
    core.hide(() => {
      if (!canSend() || refused || retryAt > Date.now()) return;
      // The page may be gone before an IndexedDB read answers: send what this tab holds in
      // memory, synchronously, within the 64 KiB keepalive budget. Whatever does not fit, or
      // does not arrive, is still in IndexedDB for the next page.
      const items = unsent(queue).filter((item) => !handedOff.has(item.id));
      void settleQueue(queue);
      if (!items.length) return;
      const batch = fitBatch(items, MAX_BATCH_BYTES, overhead);
      for (const item of batch) handedOff.add(item.id);
      const transport: Transport = hasKeepalive() ? 'keepalive' : 'beacon';
      void send(batch, transport, options).then((result) => {
        // A keepalive answer that arrives (the page stayed alive) acknowledges like any other.
        if (transport === 'keepalive') void settle(batch, result);
        else emit('batch', result.report);
      });
    }),
  ];

  return () => {
    clearInterval(interval);
    clearTimeout(startTimer);
    clearTimeout(retryTimer);
    for (const undo of undos) undo();
  };
};

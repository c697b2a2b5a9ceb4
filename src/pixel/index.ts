// Shoptrail in a Shopify Web Pixel (dist/shopify-pixel.js): Shopify's checkout runs no store
// scripts, only pixels, in a sandbox without a DOM that gets `analytics.subscribe`,
// `browser.cookie` / `browser.localStorage` and `init`. Standard events are mapped to the
// catalog (map.ts) and go the tracker's way: the same validation (validate.ts), guards
// (duplicate orders, rate limits, the session cap), a queue (memory + the pixel's storage,
// store.ts) and the collector protocol with the same retry rules (retry.ts).
import { lookup } from '../catalog';
import { resolveConfig } from '../config';
import type { Envelope } from '../envelope';
import { duplicate } from '../guards/duplicate';
import { rateLimit } from '../guards/rateLimit';
import { sessionCap } from '../guards/sessionCap';
import { uuid } from '../lib/uuid';
import type { Guard } from '../plugin';
import { BATCH_PATH, MAX_BATCH_BYTES } from '../protocol';
import { backoffDelay, parseRetryAfter, verdictFor } from '../retry';
import type { TrackerOptions } from '../types';
import { validateBody } from '../validate';
import { mapEvent, type PixelEvent, SUBSCRIBED } from './map';
import { createPixelQueue, type PixelStorage } from './store';

declare const __VERSION__: string;

/** What Shopify gives a pixel (the globals of a custom pixel). */
export interface PixelApi {
  analytics: { subscribe(name: string, callback: (event: PixelEvent) => void): unknown };
  browser: { localStorage: PixelStorage; cookie?: { get(name: string): Promise<string> } };
  init?: { context?: { navigator?: { language?: string } }; data?: unknown };
}

export interface PixelResult {
  /** Send what waits now. */
  flush(): Promise<void>;
  /** What the pixel did with each event, for a store's own checks (and tests). */
  log: Array<{ name: string; type?: string; outcome: string }>;
}

const SESSION_MS = 30 * 60_000;

export const startPixel = (options: TrackerOptions, { analytics, browser, init }: PixelApi): PixelResult => {
  const config = resolveConfig(options);
  const queue = createPixelQueue(browser.localStorage, `${config.name}.pixel.queue`, Math.min(config.maxQueueEvents, 1000));
  const guards: Guard[] = [duplicate(config.duplicateWindow), rateLimit(config.rateLimits), sessionCap(config.sessionCap)];
  const log: PixelResult['log'] = [];
  const locale = init?.context?.navigator?.language?.slice(0, 35);
  let session = { id: uuid(), last: 0 };
  const ownId = uuid(); // only where Shopify gives no clientId: never one id shared by shoppers
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  /** Events per batch: halved when the collector finds a batch too large (413). */
  let perBatch = config.maxBatchEvents;
  let sending: Promise<void> | undefined;
  const ready = queue.restore();

  const envelope = (event: PixelEvent, type: string, body: Record<string, unknown>): Envelope => {
    const at = Date.parse(event.timestamp ?? '') || Date.now();
    if (at - session.last > SESSION_MS) session = { id: uuid(), last: at };
    session.last = Math.max(session.last, at);
    const doc = event.context?.document;
    return {
      id: uuid(),
      type,
      v: 1,
      entity: config.entity,
      // Shopify's own id of this browser: the same shopper across storefront and checkout pixels.
      anonymousId: event.clientId || ownId,
      sessionId: session.id,
      createdAt: new Date(at).toISOString(),
      context: {
        page: { url: doc?.location?.href ?? '', path: doc?.location?.pathname ?? '', title: (doc?.title ?? '').slice(0, 500), referrer: doc?.referrer ?? '' },
        ...(locale && { locale }),
        library: { name: 'shoptrail', version: `${__VERSION__}-shopify-pixel` },
      },
      body,
    } as Envelope;
  };

  /** One batch within the protocol's bounds, from the oldest. */
  const batchOf = (events: Envelope[]): Envelope[] => {
    const batch: Envelope[] = [];
    let bytes = 200;
    for (const event of events.slice(0, perBatch)) {
      bytes += JSON.stringify(event).length + 1;
      if (bytes > MAX_BATCH_BYTES && batch.length) break;
      batch.push(event);
    }
    return batch;
  };

  const send = async (): Promise<void> => {
    await ready;
    while (queue.events.length && config.endpoint) {
      const batch = batchOf(queue.events);
      let status = 0;
      let retryAfter: string | null = null;
      try {
        const response = await fetch(config.endpoint + BATCH_PATH, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' }, // CORS-simple, as the tracker sends
          body: JSON.stringify({ writeKey: config.writeKey, sentAt: new Date().toISOString(), batchId: uuid(), events: batch }),
          keepalive: true,
        });
        status = response.status;
        retryAfter = response.headers.get('Retry-After');
      } catch {
        // a network error: status 0, retried
      }
      const verdict = verdictFor(status);
      if (verdict === 'split' && batch.length > 1) {
        perBatch = Math.ceil(batch.length / 2); // and again at once, smaller
        continue;
      }
      if (verdict === 'retry') {
        attempt += 1;
        schedule(parseRetryAfter(retryAfter) ?? backoffDelay(attempt));
        return;
      }
      attempt = 0;
      queue.remove(new Set(batch.map((event) => event.id)));
      for (const event of batch) log.push({ name: 'sent', type: event.type, outcome: verdict === 'ack' ? 'acked' : `dropped:http-${status}` });
    }
  };

  const flush = (): Promise<void> => (sending ??= send().finally(() => (sending = undefined)));
  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), ms);
  };

  const record = (event: PixelEvent) => {
    try {
      const mapped = mapEvent(event);
      if (!mapped) return log.push({ name: event.name, outcome: 'unmapped' });
      const [type, body] = mapped;
      const entry = lookup(type)!;
      const valid = validateBody(type, entry, body);
      if (!valid.ok) return log.push({ name: event.name, type, outcome: `invalid: ${valid.message}` });
      const made = envelope(event, type, valid.value);
      for (const guard of guards) {
        const reason = guard(made, entry);
        if (reason) return log.push({ name: event.name, type, outcome: `dropped:${reason}` });
      }
      queue.push([made]);
      log.push({ name: event.name, type, outcome: 'queued' });
      // A purchase goes at once (the shopper may close the tab); others at the flush interval.
      if (entry.priority === 'essential' || queue.events.length >= config.flushAt) void flush();
      else schedule(config.flushInterval);
    } catch (error) {
      log.push({ name: event.name, outcome: `error: ${error instanceof Error ? error.message : typeof error}` });
    }
  };

  for (const name of SUBSCRIBED) analytics.subscribe(name, record);
  void ready.then(() => {
    if (queue.events.length) void flush(); // what an earlier page left
  });
  return { flush, log };
};

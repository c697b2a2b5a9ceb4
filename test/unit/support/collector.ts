// A fake collector behind a stubbed fetch: records every request (decoding gzip bodies) and
// answers with whatever the test says, 200 with a proper BatchResponse by default.
import { gunzipSync } from 'node:zlib';
import { vi } from 'vitest';
import type { Envelope } from '../../../src/envelope';

export interface Sent {
  url: string;
  init: RequestInit;
  body: { writeKey: string; sentAt: string; batchId: string; events: Envelope[] };
  /** Bytes on the wire. */
  bytes: number;
  /** Date.now() when it arrived (the fake clock in tests that use one). */
  at: number;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-error';

export const fakeCollector = () => {
  const sent: Sent[] = [];
  const stored = new Map<string, Envelope>();
  let answer: (request: Sent) => Answer = () => ({ status: 200 });

  const decode = (body: unknown): { text: string; bytes: number } => {
    if (typeof body === 'string') return { text: body, bytes: Buffer.byteLength(body) };
    const buffer = Buffer.from(body as ArrayBuffer);
    return { text: gunzipSync(buffer).toString('utf8'), bytes: buffer.length };
  };

  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const { text, bytes } = decode(init.body);
    const request: Sent = { url, init, body: JSON.parse(text), bytes, at: Date.now() };
    sent.push(request);
    const result = answer(request);
    if (result === 'network-error') throw new TypeError('Failed to fetch');
    let body = result.body;
    if (result.status === 200 && body === undefined) {
      let accepted = 0;
      for (const event of request.body.events) {
        if (!stored.has(event.id)) accepted++;
        stored.set(event.id, event);
      }
      body = { accepted, duplicates: request.body.events.length - accepted, rejected: [] };
    }
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status: result.status,
      headers: { 'Content-Type': 'application/json', ...result.headers },
    });
  });

  return {
    fetch,
    sent,
    stored,
    /** Events sent, in order, over all requests (retries included). */
    events: () => sent.flatMap((request) => request.body.events),
    /** Events stored once each, as the collector's dedupe keeps them. */
    storedOf: (type: string) => [...stored.values()].filter((event) => event.type === type),
    answer(fn: (request: Sent) => Answer) {
      answer = fn;
    },
  };
};

// The sender worker's host (src/sender.ts) with a stand-in Worker: requests go to the worker
// when one starts, and from the page when none can (no chunk URL, no Worker, a constructor that
// throws), when it fails to start (remembered for a day), when it fails later or stops answering
// (not remembered). Real Chromium, real CSPs: test/e2e/sender.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Answer, Post } from '../../src/post';

const request: Post = { url: 'https://collect.example/v1/batch?writeKey=k', head: '{"events":[', events: ['{"id":"a"}'], gzip: false, keepalive: false };
const fromWorker: Answer = { status: 200, bytes: 1, wireBytes: 1, encoding: 'identity', payload: { from: 'worker' } };

/** The workers started, each answering as `answer` says (undefined: never). */
const workers: FakeWorker[] = [];
let answer: ((message: { id: number; request: Post }) => { id: number; answer?: Answer } | undefined) | undefined;
let refuse = false;

class FakeWorker {
  onmessage?: (event: { data: unknown }) => void;
  onerror?: (event: { preventDefault(): void }) => void;
  terminated = false;
  posted: Array<{ id: number; request: Post }> = [];
  constructor(readonly url: string) {
    if (refuse) throw new DOMException('refused by the CSP', 'SecurityError');
    workers.push(this);
  }
  postMessage(message: { id: number; request: Post }) {
    this.posted.push(message);
    const reply = answer?.(message);
    if (reply) queueMicrotask(() => this.onmessage?.({ data: reply }));
  }
  fail() {
    this.onerror?.({ preventDefault() {} });
  }
  terminate() {
    this.terminated = true;
  }
}

/** The page's own fetch: what the page posts itself. */
const pageFetch = vi.fn(async () => new Response('{"from":"page"}', { status: 200 }));

const CHUNK = 'https://cdn.example/shoptrail-background.js';

const load = async (chunkUrl: string | undefined = CHUNK) => {
  vi.resetModules(); // the host keeps its worker in module state
  const sender = await import('../../src/sender');
  sender.senderFrom(chunkUrl);
  return sender;
};

beforeEach(() => {
  workers.length = 0;
  answer = ({ id }) => ({ id, answer: fromWorker });
  refuse = false;
  localStorage.clear();
  pageFetch.mockClear();
  vi.stubGlobal('Worker', FakeWorker);
  vi.stubGlobal('fetch', pageFetch);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const offUntil = () => Number(localStorage.getItem('shoptrail.worker')) || 0;

describe('offThread', () => {
  it('sends from one worker that loads the chunk, and takes its answers', async () => {
    const { offThread } = await load();
    expect(await offThread(request)).toEqual(fromWorker);
    expect(await offThread(request)).toEqual(fromWorker);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.posted.map((m) => m.request)).toEqual([request, request]);
    expect(pageFetch).not.toHaveBeenCalled();
  });

  it("gives the worker a relative endpoint resolved against the page's URL, not its own blob: URL", async () => {
    const { offThread } = await load();
    await offThread({ ...request, url: '/t/e/v1/batch?writeKey=k' });
    expect(workers[0]!.posted[0]!.request.url).toBe(new URL('/t/e/v1/batch?writeKey=k', location.href).href);
    expect(workers[0]!.posted[0]!.request.url).toMatch(/^http/);
  });

  it('posts from the page without a chunk URL (the npm build) or without Worker', async () => {
    const { offThread } = await load(''); // (what the npm build gives: no script URL)
    expect((await offThread(request)).payload).toEqual({ from: 'page' });
    vi.stubGlobal('Worker', null); // (a browser without workers)
    const again = await load();
    expect((await again.offThread(request)).payload).toEqual({ from: 'page' });
    expect(workers).toEqual([]);
    expect(offUntil()).toBe(0); // nothing refused: nothing to remember
  });

  it('posts from the page when the constructor throws, and remembers it for a day', async () => {
    refuse = true;
    const { offThread } = await load();
    expect((await offThread(request)).payload).toEqual({ from: 'page' });
    expect(offUntil()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    refuse = false;
    const next = await load(); // the next page
    expect((await next.offThread(request)).payload).toEqual({ from: 'page' });
    expect(workers).toEqual([]);
  });

  it('posts what waited from the page when the worker fails to start, and remembers it', async () => {
    answer = undefined;
    const { offThread } = await load();
    const waiting = [offThread(request), offThread(request)];
    workers[0]!.fail();
    expect((await Promise.all(waiting)).map((a) => a.payload)).toEqual([{ from: 'page' }, { from: 'page' }]);
    expect(workers[0]!.terminated).toBe(true);
    expect(offUntil()).toBeGreaterThan(Date.now());
    expect((await offThread(request)).payload).toEqual({ from: 'page' }); // not started again
    expect(workers).toHaveLength(1);
  });

  it('a worker that answered and fails later is dropped for this page only', async () => {
    const { offThread } = await load();
    await offThread(request);
    answer = undefined;
    const waiting = offThread(request);
    workers[0]!.fail();
    expect((await waiting).payload).toEqual({ from: 'page' });
    expect(offUntil()).toBe(0);
  });

  it('a worker that stops answering is given up after the request timeout', async () => {
    vi.useFakeTimers();
    answer = undefined;
    const { offThread } = await load();
    const waiting = offThread(request);
    await vi.advanceTimersByTimeAsync(40_000);
    expect((await waiting).payload).toEqual({ from: 'page' });
    expect(workers[0]!.terminated).toBe(true);
  });

  it('a request the worker could not post (no answer in its reply) is posted from the page', async () => {
    answer = ({ id }) => ({ id });
    const { offThread } = await load();
    expect((await offThread(request)).payload).toEqual({ from: 'page' });
    expect(workers).toHaveLength(1);
  });
});

describe('serve', () => {
  it('answers each request with what post() got, by id', async () => {
    const { serve } = await load();
    const replies: unknown[] = [];
    vi.stubGlobal('postMessage', (message: unknown) => replies.push(message));
    serve();
    (globalThis as unknown as { onmessage: (event: { data: unknown }) => void }).onmessage({ data: { id: 7, request } });
    await vi.waitFor(() => expect(replies).toHaveLength(1));
    expect(replies[0]).toMatchObject({ id: 7, answer: { status: 200, payload: { from: 'page' }, encoding: 'identity' } });
    expect(pageFetch).toHaveBeenCalledWith(request.url, expect.objectContaining({ method: 'POST', body: '{"events":[{"id":"a"}]}' }));
  });
});

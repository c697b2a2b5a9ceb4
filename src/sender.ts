// Batches leave from a dedicated worker when one can start (issue 19): encoding a batch,
// compressing it and handing it to fetch() cost Chromium's main thread 2–3 ms per batch, which
// in a worker it does not pay. The worker runs this very chunk (importScripts of its own URL,
// which the HTTP cache holds), so shoppers download nothing more. Where no worker starts (a
// Content-Security-Policy without blob: workers, or one whose script-src refuses the chunk to a
// worker; the npm build; a browser without Worker), or the worker fails, the page posts itself.
// A worker that failed to start is not tried again in this browser for a day: a CSP reports
// every refusal to the store. What the page's hide sends never goes through here.
import { readJson, writeJson } from './lib/storage';
import { type Answer, type Post, post, REQUEST_TIMEOUT_MS } from './post';

/** The background chunk's URL, which src/background-chunk.ts gives; none in the npm build. */
let chunkUrl: string | undefined;
/** Until when (ms) no worker is tried: one failed to start in this browser. */
const OFF_KEY = 'shoptrail.worker';
const OFF_FOR_MS = 24 * 3600_000;
/** post() answers within its timeout, plus compression: later, the worker is stuck. */
const ANSWER_WITHIN_MS = REQUEST_TIMEOUT_MS + 10_000;

interface Waiting {
  request: Post;
  resolve: (answer: Answer | Promise<Answer>) => void;
  timer: ReturnType<typeof setTimeout>;
}
interface Message {
  id: number;
  answer?: Answer;
}

/** The worker; null once none can be used on this page. */
let worker: Worker | null | undefined;
let answered = false;
let lastId = 0;
const waiting = new Map<number, Waiting>();

/**
 * No worker from now on; what waited on it is posted from the page. A batch the worker did send
 * may go twice: the collector dedupes events by id.
 */
const giveUp = () => {
  if (!answered) writeJson(OFF_KEY, Date.now() + OFF_FOR_MS);
  worker?.terminate();
  worker = null;
  for (const { request, resolve, timer } of waiting.values()) {
    clearTimeout(timer);
    resolve(post(request));
  }
  waiting.clear();
};

const start = (): Worker | null => {
  if (!chunkUrl || typeof Worker != 'function' || (readJson<number>(OFF_KEY) ?? 0) > Date.now()) return null;
  try {
    // The chunk reads `window` and the lent library as it loads: give it stand-ins.
    const source = `self.window=self;self.shoptrail_lib={};importScripts(${JSON.stringify(chunkUrl)})`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const started = new Worker(url);
    URL.revokeObjectURL(url); // (the worker holds the blob from its construction)
    started.onmessage = ({ data }: MessageEvent<Message>) => {
      const found = waiting.get(data.id);
      if (!found) return;
      waiting.delete(data.id);
      clearTimeout(found.timer);
      answered = true;
      found.resolve(data.answer ?? post(found.request));
    };
    started.onerror = (event) => {
      event.preventDefault(); // said by falling back, not in the store's console
      giveUp();
    };
    return started;
  } catch {
    giveUp(); // a CSP that refuses blob: workers throws here
    return null;
  }
};

/** Send from a worker running the script at `url` (the background chunk, as it loads). */
export const senderFrom = (url: string | undefined): void => {
  chunkUrl = url;
};

/** Post a request from the sender worker, or from the page when there is none. */
export const offThread = (request: Post): Promise<Answer> => {
  if (worker === undefined) worker = start();
  const running = worker;
  if (!running) return post(request);
  return new Promise((resolve) => {
    const id = ++lastId;
    waiting.set(id, { request, resolve, timer: setTimeout(giveUp, ANSWER_WITHIN_MS) });
    // A relative endpoint ("/t/e") is the page's: against the worker's blob: URL it would not parse.
    running.postMessage({ id, request: { ...request, url: new URL(request.url, location.href).href } });
  });
};

/** In the worker: answer the page's requests (no answer: the page posts it itself). */
export const serve = (): void => {
  // biome-ignore lint/suspicious/noGlobalAssign: the worker's own message handler, which nothing else sets
  onmessage = ({ data }: MessageEvent<{ id: number; request: Post }>) =>
    post(data.request).then(
      (answer) => postMessage({ id: data.id, answer }),
      () => postMessage({ id: data.id }),
    );
};

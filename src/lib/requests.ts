// Observe the page's own fetch and XMLHttpRequest calls (cart requests of the platforms'
// themes) without changing them: the page gets the very same promise, Response, errors and
// `this`. Listeners run in the promise reaction we add before the page's own, so a body can
// still be cloned there; anything heavier is theirs to defer.
interface Seen {
  url: string;
  method: string;
  body: unknown;
  ok: boolean;
  /** The response text (for fetch, from a clone); ask for it synchronously in the listener. */
  text(): Promise<string>;
}
type Listener = (request: Seen) => void;

const listeners: Listener[] = [];
let installed = false;

const tell = (seen: Seen) => {
  for (const fn of listeners) {
    try {
      fn(seen);
    } catch {
      // a faulty listener never touches the page's request
    }
  }
};

const hook = () => {
  installed = true;
  const w = window as any;
  const fetch0 = w.fetch;
  if (fetch0) {
    w.fetch = function (this: unknown, input: any, init?: any) {
      const result = fetch0.apply(this, arguments);
      try {
        const url = String(input?.url ?? input);
        const method = String(init?.method ?? input?.method ?? 'GET').toUpperCase();
        result.then(
          (response: Response) => tell({ url, method, body: init?.body, ok: response.ok, text: () => response.clone().text() }),
          () => {},
        );
      } catch {
        // observation is optional; the request is not
      }
      return result;
    };
  }
  const proto = w.XMLHttpRequest?.prototype;
  if (proto) {
    const open = proto.open;
    const send = proto.send;
    const meta = new WeakMap<object, [string, string]>();
    proto.open = function (this: XMLHttpRequest, method: string, url: string) {
      meta.set(this, [String(method).toUpperCase(), String(url)]);
      return open.apply(this, arguments);
    };
    proto.send = function (this: XMLHttpRequest, body?: unknown) {
      const m = meta.get(this);
      if (m) {
        this.addEventListener('loadend', () => {
          const ok = this.status > 199 && this.status < 300;
          const text = () => Promise.resolve(this.responseType === '' || this.responseType === 'text' ? this.responseText : '');
          tell({ url: m[1], method: m[0], body, ok, text });
        });
      }
      return send.apply(this, arguments);
    };
  }
};

/** Call `fn` after every fetch/XHR the page makes completes (not for network errors of fetch). */
export const onRequest = (fn: Listener): (() => void) => {
  if (!installed) hook();
  listeners.push(fn);
  return () => listeners.splice(listeners.indexOf(fn) >>> 0, 1);
};

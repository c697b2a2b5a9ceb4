// Bytes of the HTTP/1.1 request heads an SDK sent: request line (path only: a query string is
// counted with the body) and every header Chromium really sent, cookies included (playwright
// reads them from CDP's requestWillBeSentExtraInfo). One request per event pays this every time.
import type { Request } from 'playwright-core';

type Header = { name: string; value: string };

const headBytes = (request: Request, headers: Header[]): number =>
  `${request.method()} ${new URL(request.url()).pathname} HTTP/1.1\r\n`.length + headers.reduce((sum, h) => sum + h.name.length + 2 + h.value.length + 2, 0) + 2;

/** Collects the heads of the requests it is given; `total` waits for the raw headers. */
export const headCounter = () => {
  const heads: { request: Request; raw?: Header[] }[] = [];
  return {
    add: (request: Request) => {
      const head: (typeof heads)[number] = { request };
      heads.push(head);
      request.headersArray().then(
        (raw) => void (head.raw = raw),
        () => {},
      );
    },
    /**
     * Total bytes, waiting up to `waitMs` for raw headers (they arrive once a request is really
     * sent, which for a queued request can be long after the call). A request still without them
     * (a beacon sent while the page went away) counts the headers the page asked for, without
     * the browser's additions, and is counted in `estimated`.
     */
    total: async (waitMs: number): Promise<{ bytes: number; estimated: number }> => {
      const deadline = Date.now() + waitMs;
      while (heads.some((h) => !h.raw) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      let bytes = 0;
      let estimated = 0;
      for (const { request, raw } of heads) {
        if (!raw) estimated += 1;
        bytes += headBytes(request, raw ?? Object.entries(request.headers()).map(([name, value]) => ({ name, value })));
      }
      return { bytes, estimated };
    },
  };
};

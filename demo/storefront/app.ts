// The demo storefront, served on its own origin (the collector is on another one, as in real
// stores). Pages live in demo/public; their script tag carries placeholders that are filled
// per server, so the same pages work on any port: {{collectorUrl}}, {{writeKey}}, {{entity}}.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

export interface StorefrontOptions {
  /** Base URL of the collector, as the tracker's data-endpoint. */
  collectorUrl: string;
  writeKey: string;
  entity: string;
  /** Folder of the pages; demo/public by default. */
  root?: string;
  /** Folder of extra test pages, served under /test/ with the same placeholders. */
  extraRoot?: string;
  /**
   * Add `data-allow-automation` to the tracker's tags: the end-to-end tests drive Chromium under
   * automation (navigator.webdriver), where the tracker otherwise sends nothing. Off for people.
   */
  allowAutomation?: boolean;
}

/** The tracker's script tags (src ending in /shoptrail.js), which read their options from data-*. */
const TRACKER_TAG = /<script\b([^>]*\ssrc="[^"]*\/shoptrail\.js")/g;

const PUBLIC = join(import.meta.dirname, '..', 'public');
/** The shop's and the inspector's scripts, built by esbuild.config.mjs. */
const ASSETS = join(import.meta.dirname, '..', '..', 'dist', 'demo');

/** Fill a page's placeholders; values are attribute-escaped because they land in HTML attributes. */
export const fillPlaceholders = (html: string, values: Record<string, string>): string =>
  html.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    key in values ? values[key]!.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;') : whole,
  );

const BAD = Symbol('bad');
const OUTSIDE = Symbol('outside');

/**
 * The page file a request path names under `root`: BAD for malformed percent-encoding or a NUL,
 * OUTSIDE for a path that leaves root (`..%2f`, a sibling folder such as `public-old/`),
 * undefined when it is not a page (serveStatic serves the rest).
 */
export const pageFile = (root: string, pathname: string): string | typeof BAD | typeof OUTSIDE | undefined => {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return BAD;
  }
  if (path.includes('\0')) return BAD;
  if (path.endsWith('/')) path += 'index.html';
  if (!path.endsWith('.html')) return undefined;
  const file = resolve(root, `.${path}`);
  // Inside root means under root *and a separator*: "public-old" starts with "public" too.
  const inside = relative(root, file);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? file : OUTSIDE;
};

export const createStorefront = (options: StorefrontOptions): Hono => {
  const root = resolve(options.root ?? PUBLIC);
  const values = { collectorUrl: options.collectorUrl, writeKey: options.writeKey, entity: options.entity };
  const app = new Hono();

  app.use('/demo-assets/*', serveStatic({ root: ASSETS, rewriteRequestPath: (path) => path.slice('/demo-assets'.length) }));
  app.get('*', async (c, next) => {
    const file = pageFile(root, new URL(c.req.url).pathname);
    if (file === BAD) return c.text('bad request: malformed path', 400);
    if (file === undefined) return next();
    if (file === OUTSIDE) return c.notFound();
    try {
      const html = fillPlaceholders(await readFile(file, 'utf8'), values);
      return c.html(options.allowAutomation ? html.replace(TRACKER_TAG, '<script$1 data-allow-automation') : html);
    } catch {
      return next();
    }
  });
  app.use('*', serveStatic({ root }));
  // The tracker as a store would host it, built by `npm run build` (reached when no page
  // matched): shoptrail.js, the chunks it loads next to itself (shoptrail-background.js,
  // shoptrail-capture.js), their maps.
  const DIST = join(import.meta.dirname, '..', '..', 'dist');
  let tracker: ReturnType<typeof serveStatic> | undefined; // made at first use: dist/ may be built after start
  app.get('/:file', (c, next) =>
    /^(shoptrail[\w-]*|shopify-pixel)\.js(\.map)?$/.test(c.req.param('file')) ? (tracker ??= serveStatic({ root: DIST }))(c, next) : next(),
  );
  // Never a stack trace to the browser (serveStatic's or a page's failure).
  app.onError((_error, c) => c.text('internal error', 500));
  if (options.extraRoot) {
    app.mount('/test', createStorefront({ ...options, root: resolve(options.extraRoot), extraRoot: undefined }).fetch);
  }
  return app;
};

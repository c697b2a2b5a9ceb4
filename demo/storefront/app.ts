// The demo storefront, served on its own origin (the collector is on another one, as in real
// stores). Pages live in demo/public; their script tag carries placeholders that are filled
// per server, so the same pages work on any port: {{collectorUrl}}, {{writeKey}}, {{entity}}.
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve } from 'node:path';
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

export const createStorefront = (options: StorefrontOptions): Hono => {
  const root = options.root ?? PUBLIC;
  const values = { collectorUrl: options.collectorUrl, writeKey: options.writeKey, entity: options.entity };
  const app = new Hono();

  app.use('/demo-assets/*', serveStatic({ root: ASSETS, rewriteRequestPath: (path) => path.slice('/demo-assets'.length) }));
  app.get('*', async (c, next) => {
    let path = decodeURIComponent(new URL(c.req.url).pathname);
    if (path.endsWith('/')) path += 'index.html';
    if (!path.endsWith('.html')) return next();
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return c.notFound();
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
  if (options.extraRoot) {
    app.mount('/test', createStorefront({ ...options, root: resolve(options.extraRoot), extraRoot: undefined }).fetch);
  }
  return app;
};

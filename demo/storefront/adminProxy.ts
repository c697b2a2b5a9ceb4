// The demo's admin pages (dashboard, log, reports) read the collector's admin routes through the
// storefront, on the page's own origin: those routes answer no CORS, so that no store page can
// read an entity's admin data from a browser. A real store keeps these reads on its server too.
import type { Hono } from 'hono';

const ADMIN_PATHS = ['/v1/events', '/v1/usage', '/v1/reports', '/v1/profiles', '/v1/customers/*', '/v1/export/*'];

export const mountAdminProxy = (app: Hono, collectorUrl: string): void => {
  for (const path of ADMIN_PATHS) {
    app.on(['GET', 'POST'], path, async (c) => {
      const url = new URL(c.req.url);
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) {
        const value = c.req.header(name);
        if (value) headers[name] = value;
      }
      const body = c.req.method === 'POST' ? await c.req.arrayBuffer() : undefined;
      const answer = await fetch(new URL(url.pathname + url.search, collectorUrl), { method: c.req.method, headers, body });
      return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' } });
    });
  }
};

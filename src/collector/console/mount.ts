// The admin console at /admin/ (issue 14): the page and its files, sign-in and sign-out, and
// /admin/api/* — the admin API (/v1/*) for the signed-in entity, authorised by the session
// cookie instead of a Bearer key. Nothing here loads the tracker, so nothing it does is billed.
import type { Hono, MiddlewareHandler } from 'hono';
import { catalog } from '../../schema';
import type { Keys } from '../keys';
import type { Stores } from '../storage/router';
import { mountConsoleApi, type Env } from './apiRoutes';
import { cookie, issueToken, SESSION_SECONDS, tokenOf, verifyToken } from './session';
import { consoleFiles, SECURITY_HEADERS } from './static';

export interface ConsoleDeps {
  keys: Keys;
  stores: Stores;
  now: () => number;
  admin: MiddlewareHandler<Env>;
  /** The built console's folder (default: found beside the bin or in dist/). */
  root?: string;
}

/** The admin API paths the console may reach; never the batch or the fault switches. */
const PROXIED =
  /^\/(events(\/latest)?|usage(\/by-type)?|content|profiles(\/search)?|customers\/[^/]+(\/(log|events))?|export\/customer-actions|reports(\/saved(\/[^/]+)?)?)$/;

/** Every catalog type with whether it is billed: the console's "billable only" filter and labels. */
const TYPES = Object.entries(catalog).map(([type, entry]) => ({ type, billable: entry.billable }));

const isHttps = (c: { req: { url: string; header(name: string): string | undefined } }) =>
  c.req.url.startsWith('https:') || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';

export const mountConsole = (app: Hono<Env>, deps: ConsoleDeps): void => {
  const { keys, now } = deps;
  const files = consoleFiles(deps.root);
  mountConsoleApi(app, deps);

  const session = (c: { req: { header(name: string): string | undefined } }) => verifyToken(keys, tokenOf(c.req.header('cookie')), now());
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });

  // Writes come from the console's own pages only: SameSite=Strict keeps the cookie off other
  // sites' requests, and the browser's Fetch Metadata says where a request came from.
  app.use('/admin/*', async (c, next) => {
    const site = c.req.header('sec-fetch-site');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && site && site !== 'same-origin') {
      return json({ error: 'cross-site request refused' }, 403);
    }
    await next();
  });

  app.post('/admin/session', async (c) => {
    let key: unknown;
    try {
      key = (JSON.parse(await c.req.text()) as { key?: unknown })?.key;
    } catch {
      return json({ error: 'body is not valid JSON: send {"key": "<admin key>"}' }, 400);
    }
    const entity = typeof key === 'string' ? keys.byAdminKey(key.trim()) : undefined;
    if (!entity) return json({ error: 'This admin key is not valid here. Check it for spaces and that it is the admin key (sk_…), not a write key (pk_…).' }, 401);
    const token = issueToken(keys, entity.entity, now());
    return json({ entity: entity.entity }, 200, { 'set-cookie': cookie(token, SESSION_SECONDS, isHttps(c)) });
  });
  app.delete('/admin/session', (c) => json({ signedOut: true }, 200, { 'set-cookie': cookie('', 0, isHttps(c)) }));

  app.get('/admin/api/session', (c) => {
    // 200 either way: the page asks before it knows, and a 401 would be logged as an error.
    const signedIn = session(c);
    if (!signedIn) return json({ signedIn: false });
    const entity = keys.entities.find((e) => e.entity === signedIn.entity)!;
    return json({
      signedIn: true,
      entity: entity.entity,
      allowance: entity.allowance,
      timeZone: entity.timeZone,
      expiresAt: new Date(signedIn.expires).toISOString(),
      types: TYPES,
    });
  });

  // The admin API for the session's entity: the same routes, checks and answers as with a Bearer key.
  app.all('/admin/api/*', async (c) => {
    const path = c.req.path.slice('/admin/api'.length);
    if (!PROXIED.test(path)) return json({ error: 'not found' }, 404);
    const signedIn = session(c);
    if (!signedIn) return json({ error: 'not signed in' }, 401);
    const url = new URL(c.req.url);
    url.pathname = `/v1${path}`;
    url.searchParams.delete('entity'); // the session's entity, never another
    const headers = new Headers({ authorization: `Bearer ${keys.adminKeyOf(signedIn.entity)}` });
    const type = c.req.header('content-type');
    if (type) headers.set('content-type', type);
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.arrayBuffer();
    const answer = await app.fetch(new Request(url, { method: c.req.method, headers, body }), c.env);
    const out = new Headers(answer.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) out.set(name, value);
    out.set('cache-control', 'no-store');
    return new Response(answer.body, { status: answer.status, headers: out });
  });

  app.get('/admin', (c) => c.redirect('/admin/', 301));
  app.get('/admin/:file{[^/]*}', (c) => {
    const file = files(c.req.param('file') || 'index.html');
    if (!file) return json({ error: 'not found' }, 404);
    if (c.req.header('if-none-match') === file.headers.etag) return new Response(null, { status: 304, headers: file.headers });
    return new Response(new Uint8Array(file.body), { headers: file.headers });
  });
};

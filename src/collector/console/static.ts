// The console's files (built by esbuild.config.mjs into dist/collector/console/), served from
// memory with a strict CSP (scripts and styles from this origin only, nothing inline), an ETag,
// and `no-cache`: browsers revalidate, so a new release is seen at the next load.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** Where the built console is: beside the bundled bin (dist/collector/console), or dist/ from a checkout. */
export const consoleRoot = (): string | undefined =>
  [join(import.meta.dirname, 'console'), resolve(import.meta.dirname, '..', '..', '..', 'dist', 'collector', 'console')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );

export interface StaticFile {
  body: Buffer;
  headers: Record<string, string>;
}

/** The console's files by name, read once at first use (a rebuild needs a restart, like the bin). */
export const consoleFiles = (root = consoleRoot()) => {
  const cache = new Map<string, StaticFile | null>();
  return (name: string): StaticFile | undefined => {
    if (!root || !/^[\w.-]+$/.test(name) || !TYPES[extname(name)]) return undefined;
    if (!cache.has(name)) {
      const path = join(root, name);
      const body = existsSync(path) ? readFileSync(path) : undefined;
      cache.set(
        name,
        body
          ? {
              body,
              headers: {
                ...SECURITY_HEADERS,
                'content-type': TYPES[extname(name)]!,
                'cache-control': 'no-cache',
                etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
              },
            }
          : null,
      );
    }
    return cache.get(name) ?? undefined;
  };
};

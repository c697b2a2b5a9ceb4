// The demo storefront's static server (issue 18): nothing outside its folder is readable, not
// even a sibling folder whose name starts with the root's, and a malformed path is a 400, not a
// 500 with a stack trace. No database here; it runs with the collector's suite because it is
// the other Node server of the repository.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStorefront } from '../../demo/storefront/app';

const dir = mkdtempSync(join(tmpdir(), 'shoptrail-static-'));
mkdirSync(join(dir, 'public'));
mkdirSync(join(dir, 'public-secret'));
writeFileSync(join(dir, 'public', 'index.html'), '<p data-key="{{writeKey}}">home</p>');
writeFileSync(join(dir, 'public', 'shop.css'), 'p{}');
writeFileSync(join(dir, 'public-secret', 'secret.html'), 'SECRET');
writeFileSync(join(dir, 'public-secret', 'secret.txt'), 'SECRET');
writeFileSync(join(dir, 'secret.txt'), 'SECRET');

const shop = createStorefront({ root: join(dir, 'public'), collectorUrl: 'http://collector.test', writeKey: 'pk_x', entity: 'shop' });
const get = (path: string) => shop.request(`http://shop.test${path}`);

describe('storefront static server', () => {
  it('serves its pages with placeholders filled, and its files', async () => {
    expect(await (await get('/')).text()).toBe('<p data-key="pk_x">home</p>');
    expect(await (await get('/shop.css')).text()).toBe('p{}');
  });

  it('never reads a sibling folder or a parent file, however the path is encoded', async () => {
    for (const path of [
      '/..%2fpublic-secret/secret.html',
      '/%2e%2e%2fpublic-secret%2fsecret.html',
      '/..%2fpublic-secret/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
    ]) {
      const response = await get(path);
      expect([400, 404], path).toContain(response.status);
      expect(await response.text(), path).not.toContain('SECRET');
    }
  });

  it('answers malformed percent-encoding with 400, no stack trace', async () => {
    for (const path of ['/%zz.html', '/%zz', '/%E0%A4%A.html', '/a%00.html']) {
      const response = await get(path);
      expect([400, 404], path).toContain(response.status);
      expect(await response.text(), path).not.toMatch(/at .*\.(ts|js):\d+|URIError/);
    }
  });
});

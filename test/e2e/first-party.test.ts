// First-party serving end to end (issue 17 item 5): a store serves the script as /t/s.js, its
// chunks as /t/c-<chunk>.js (data-chunk-path) and the collector behind /t/e (a reverse proxy),
// all on its own origin. Events arrive, both chunks load, and no request the page makes leaves
// the store's origin or names "track", "analytics", "collect" or "shoptrail".
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/collector/config';
import { DEMO_CONFIG } from '../../demo/server';
import { launchChromium } from './support/chromium';
import { type Demo, startTestDemo, storedEvents } from './support/demo';
import { type FirstPartyStore, startFirstPartyStore } from './support/firstParty';
import { waitFor } from './support/poll';

let demo: Demo;
let store: FirstPartyStore;
let browser: Browser;

const page = (writeKey: string, entity: string) => () =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>First-party store</title>
<script async src="/t/s.js" data-endpoint="/t/e" data-chunk-path="c-{name}.js" data-write-key="${writeKey}"
        data-entity="${entity}" data-flush-interval="250" data-guard-mode="observe" data-allow-automation></script>
</head><body><h1>Kettles</h1><a href="https://example.com/elsewhere" id="out">Elsewhere</a></body></html>`;

beforeAll(async () => {
  const config = loadConfig(DEMO_CONFIG);
  const [entity] = config.entities;
  let render = () => '';
  store = await startFirstPartyStore(
    () => demo.collectorUrl,
    () => render(),
  );
  // The collector sees the store's own origin: the proxy forwards Origin as the browser sent it.
  // A key of the store's choosing: it travels in the query string, where a blocker may look too.
  demo = await startTestDemo({ config: { ...config, entities: [{ ...entity!, writeKeys: ['pk_live_7f3a9c'], allowedOrigins: [store.url] }] } });
  render = page(demo.writeKey, demo.entity);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await store?.close();
  await demo?.close();
});

describe('first-party serving', () => {
  it('loads the script and its chunks under the store’s names, and sends through its own path', async () => {
    const tab = await browser.newPage();
    const requests: string[] = [];
    tab.on('request', (request) => requests.push(request.url()));
    await tab.goto(`${store.url}/`);
    await tab.waitForFunction(() => (window as unknown as { shoptrail?: { loaded?: boolean } }).shoptrail?.loaded === true);
    const query = `first-party-${Date.now()}`;
    await tab.evaluate((query) => (window as unknown as { shoptrail: { track: (t: string, b: unknown) => unknown } }).shoptrail.track('search', { query }), query);
    await waitFor(() => storedEvents(demo, { type: 'search' }).some((e) => (e.body as { query?: string }).query === query), {
      message: 'the search stored through /t/e',
    });
    // Both chunks came from the store's names: delivery (background) sent, capture is installed.
    expect(await tab.evaluate(() => typeof (window as unknown as { shoptrail_capture?: unknown }).shoptrail_capture)).toBe('object');
    const paths = requests.map((url) => new URL(url));
    expect(paths.every((url) => url.origin === store.url)).toBe(true);
    expect(paths.map((url) => url.pathname)).toEqual(expect.arrayContaining(['/t/s.js', '/t/c-background.js', '/t/c-capture.js', '/t/e/v1/batch']));
    expect(requests.filter((url) => /track|analytics|collect|shoptrail/i.test(url))).toEqual([]);
    await tab.close();
  });
});

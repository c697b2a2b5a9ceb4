// Batches leave from the sender worker (src/sender.ts), and from the page where a store's
// Content-Security-Policy refuses the worker: in real Chromium, with the reference collector on
// another origin. Either way every event is stored once, from the store's origin, and a refusal
// is remembered so the next page does not ask again (each refusal is a CSP report to the store).
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { allStored, drained, expectStoredOnce, openPage, pageUrl, PAGES, trackMany } from './support/chaos';
import { useDemoAndBrowser } from './support/demo';

const env = useDemoAndBrowser({ extraRoot: PAGES });

/** The Origin header of every batch request, and the workers the page started. */
const watch = (context: BrowserContext, page: Page) => {
  const origins: Array<Promise<string | undefined>> = [];
  const workers: string[] = [];
  context.on('request', (request) => {
    if (request.url().includes('/v1/batch') && request.method() === 'POST')
      origins.push(
        request.allHeaders().then(
          (headers) => headers.origin,
          () => 'closed before its headers were read',
        ),
      );
  });
  page.on('worker', (worker) => workers.push(worker.url()));
  return { origins, workers };
};

const offUntil = (page: Page) => page.evaluate(() => Number(localStorage.getItem('shoptrail.worker')) || 0);

/** A page of `name`, watched from before its script tag runs. */
const open = async (name: string) => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const seen = watch(context, page);
  await openPage(context, pageUrl(env.demo, name), page);
  return { context, page, seen };
};

describe('the sender worker', () => {
  it('sends batches from a worker, from the store origin, each event stored once', async () => {
    const { context, page, seen } = await open('delivery.html');
    await trackMany(page, 'sender-worker', 300);
    await allStored(env.demo, 'sender-worker', 300);
    await drained(page);
    expectStoredOnce(env.demo, 'sender-worker', 300);
    expect(seen.workers).toHaveLength(1);
    expect(seen.workers[0]).toMatch(/^blob:/);
    expect(seen.origins.length).toBeGreaterThan(0);
    expect(new Set(await Promise.all(seen.origins))).toEqual(new Set([new URL(env.demo.storeUrl).origin]));
    expect(await offUntil(page)).toBe(0);
    await context.close();
  });

  for (const [name, why] of <Array<[string, string]>>[
    ['sender-no-workers.html', 'a CSP refuses blob: workers'],
    ['sender-nonce.html', "a nonce-only CSP refuses the chunk to the worker's importScripts"],
  ]) {
    it(`sends from the page when ${why}, and remembers not to ask again`, async () => {
      const { context, page, seen } = await open(name);
      await trackMany(page, `sender-${name}`, 150);
      await allStored(env.demo, `sender-${name}`, 150);
      await drained(page);
      expectStoredOnce(env.demo, `sender-${name}`, 150);
      expect(new Set(await Promise.all(seen.origins))).toEqual(new Set([new URL(env.demo.storeUrl).origin]));
      expect(await offUntil(page)).toBeGreaterThan(Date.now() + 3600_000);

      // The next page of this browser does not start one.
      const next = await context.newPage();
      const again = watch(context, next);
      await openPage(context, pageUrl(env.demo, 'delivery.html'), next);
      await trackMany(next, `sender-next-${name}`, 20);
      await allStored(env.demo, `sender-next-${name}`, 20);
      expect(again.workers).toEqual([]);
      await context.close();
    });
  }
});

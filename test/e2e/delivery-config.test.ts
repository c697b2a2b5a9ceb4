// Delivery when the store's configuration or one event is wrong (issues 13 and 18), in Chromium
// against the reference collector: a refused write key keeps its events and stops that page; a
// tab with another key never sends them; one event the collector keeps failing on is isolated
// and dropped while every other one is stored. Every check is made against the collector's
// database and the requests the browser really made.
import { describe, expect, it } from 'vitest';
import type { Tracker, TrackerError } from '../../src/types';
import { clearFaults, drained, openPage, pageUrl, PAGES, queueOf, setFaults, storedRun, trackMany, watchBatches } from './support/chaos';
import { useDemoAndBrowser } from './support/demo';
import { waitFor } from './support/poll';

const env = useDemoAndBrowser({ extraRoot: PAGES });
type Page = Awaited<ReturnType<typeof openPage>>;

/** The `error` events and console warnings a page reports from now on. */
const listen = async (page: Page) => {
  const warnings: string[] = [];
  page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  await page.evaluate(() => {
    const w = window as unknown as { shoptrail: Tracker; errors: TrackerError[] };
    w.errors = [];
    w.shoptrail.on('error', (error) => w.errors.push(error));
  });
  return { warnings, errors: () => page.evaluate(() => (window as unknown as { errors: TrackerError[] }).errors) };
};

const flushOf = (page: Page) => page.evaluate(() => (window as unknown as { shoptrail: Tracker }).shoptrail.flush());

describe('delivery and the store configuration', () => {
  it('keeps the events of a refused write key, says so once, stops sending, and tries again on the next page', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'wrong-key.html'));
    const { warnings, errors } = await listen(page);
    await trackMany(page, 'wrong-key', 20);
    await waitFor(() => seen.some((batch) => batch.status === 401), { message: 'the collector did not refuse the key' });
    const flushed = await flushOf(page);
    expect(flushed.delivered).toBe(0);
    expect(flushed.remaining).toBeGreaterThanOrEqual(20);
    await trackMany(page, 'wrong-key', 5, 20);
    await page.waitForTimeout(1500); // six flush intervals: nothing more may leave this page
    expect(seen.filter((batch) => batch.text.includes('wrong-key'))).toHaveLength(1);
    expect((await errors()).filter((error) => error.code === 'write-key-refused')).toHaveLength(1);
    expect(warnings.filter((text) => text.includes('write key refused'))).toHaveLength(1); // without debug
    expect(storedRun(env.demo, 'wrong-key')).toHaveLength(0);
    expect((await queueOf(page)).size).toBeGreaterThanOrEqual(25);

    await page.reload(); // the next page load tries again, once
    await waitFor(() => seen.filter((batch) => batch.status === 401).length === 2, { message: 'the next page did not try again' });
    expect(JSON.parse(seen.at(-1)!.text).events.filter((e: { body: { name?: string } }) => e.body.name === 'chaos').length).toBeGreaterThanOrEqual(25);
    console.log(`delivery wrong-key: tracked 25 stored 0 requests ${seen.length} kept ${(await queueOf(page)).size}`);
    await context.close();
  });

  it('never sends events queued under one write key with another tab’s key', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const wrong = await openPage(context, pageUrl(env.demo, 'wrong-key.html'));
    await trackMany(wrong, 'other-tab-wrong', 30);
    await waitFor(() => seen.some((batch) => batch.status === 401), { message: 'the collector did not refuse the key' });
    const good = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await trackMany(good, 'other-tab-good', 30);
    await drained(good);
    await good.reload(); // a later page of the good tab looks at the queue again
    await drained(good);
    expect(storedRun(env.demo, 'other-tab-good')).toHaveLength(30);
    expect(storedRun(env.demo, 'other-tab-wrong')).toHaveLength(0);
    const underGoodKey = seen.filter((batch) => new URL(batch.url).searchParams.get('writeKey') === env.demo.writeKey);
    expect(underGoodKey.length).toBeGreaterThan(0);
    expect(underGoodKey.some((batch) => batch.text.includes('other-tab-wrong'))).toBe(false);
    expect((await queueOf(wrong)).size).toBeGreaterThanOrEqual(30); // still kept for their own key
    console.log(`delivery other-tab-key: good stored 30 wrong stored 0 wrong kept ${(await queueOf(wrong)).size}`);
    await context.close();
  });

  it('sends the write key in the query string too (issue 18)', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await trackMany(page, 'query-key', 5);
    await drained(page);
    const posts = seen.filter((batch) => batch.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    for (const batch of posts) {
      expect(new URL(batch.url).searchParams.get('writeKey')).toBe(env.demo.writeKey);
      expect(JSON.parse(batch.text).writeKey).toBe(env.demo.writeKey);
    }
    await context.close();
  });
});

describe('delivery and a poison event (issue 18)', () => {
  it('refuses a 1,200-deep body in track(), isolates the one event the collector fails on, stores every valid one and keeps delivering', async () => {
    const context = await env.browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(env.demo, 'delivery.html'));
    await drained(page); // start-up events out of the way
    await setFaults(env.demo, { failIfContains: 'poison-marker' });
    try {
      const [deep, poison, dropped] = await page.evaluate(() => {
        const { shoptrail } = window as unknown as { shoptrail: Tracker };
        const kept: string[] = [];
        shoptrail.on('dropped', ({ reason, events }) => kept.push(...events.map((event) => `${reason}:${String(event.body.name)}`)));
        let nested: Record<string, unknown> = { leaf: true };
        for (let i = 0; i < 1200; i++) nested = { n: nested };
        for (let seq = 0; seq < 3; seq++) shoptrail.track('custom-event', { name: 'chaos', properties: { run: 'poison', seq } });
        const deep = shoptrail.track('custom-event', { name: 'chaos', properties: { run: 'poison-deep', nested } });
        const poison = shoptrail.track('custom-event', { name: 'poison-marker', properties: { run: 'poison-marked' } });
        for (let seq = 3; seq < 6; seq++) shoptrail.track('custom-event', { name: 'chaos', properties: { run: 'poison', seq } });
        (window as unknown as { dropped: string[] }).dropped = kept;
        return [deep, poison, kept];
      });
      expect(deep).toMatchObject({ ok: false, error: { code: 'too-deep' } });
      expect(poison).toMatchObject({ ok: true });
      expect(dropped).toEqual([]);
      await waitFor(() => storedRun(env.demo, 'poison').length === 6, { timeout: 30_000, message: 'the valid events were not all stored' });
      await waitFor(() => page.evaluate(() => (window as unknown as { dropped: string[] }).dropped.includes('poison:poison-marker')), {
        timeout: 30_000,
        message: 'the poison event was not dropped',
      });
      await drained(page);
      await trackMany(page, 'poison-after', 20); // the queue is not blocked
      await drained(page);
      expect(storedRun(env.demo, 'poison-after')).toHaveLength(20);
      expect(storedRun(env.demo, 'poison-marked')).toHaveLength(0);
      expect(storedRun(env.demo, 'poison-deep')).toHaveLength(0);
      const failed = seen.filter((batch) => batch.status === 500).length;
      console.log(
        `delivery poison: tracked 6 valid stored ${storedRun(env.demo, 'poison').length} poison dropped 1 deep refused 1 requests ${seen.length} failed ${failed} after stored 20`,
      );
    } finally {
      await clearFaults(env.demo);
    }
    await context.close();
  });
});

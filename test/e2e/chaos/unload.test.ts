// Chaos: the shopper leaves in the very task that tracked the events (a click that tracks, then
// navigates), while the collector is down. The keepalive send on page hide meets the outage,
// and an IndexedDB write started then never commits: the events must still arrive, once.
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import type { Tracker } from '../../../src/types';
import { allStored, clearFaults, drained, expectStoredOnce, openPage, pageUrl, PAGES, ready, report, setFaults, watchBatches } from '../support/chaos';
import { useDemoAndBrowser } from '../support/demo';

const env = useDemoAndBrowser({ extraRoot: PAGES });

/** Track `count` events and leave the page in the same task. */
const trackAndLeave = (page: Page, run: string, count: number, leave: 'reload' | 'navigate' | 'close') =>
  page.evaluate(
    ([run, count, leave]) => {
      const { shoptrail } = window as unknown as { shoptrail: Tracker };
      for (let seq = 0; seq < count; seq++) shoptrail.track('custom-event', { name: 'chaos', properties: { run, seq } });
      if (leave === 'reload') location.reload();
      if (leave === 'navigate') location.href = `${location.pathname}?next`;
    },
    [run, count, leave] as const,
  );

describe('chaos: leaving right after tracking, during an outage', () => {
  for (const leave of ['reload', 'navigate', 'close'] as const) {
    it(`stores everything once when the page ${leave === 'close' ? 'is closed' : `${leave}s`} in the task that tracked`, async () => {
      const { demo, browser } = env;
      const context = await browser.newContext();
      const seen = watchBatches(context);
      const url = pageUrl(demo, 'delivery.html');
      let page = await openPage(context, url);
      await drained(page);
      const run = `leave-${leave}`;
      await setFaults(demo, { status: 503 });
      try {
        await trackAndLeave(page, run, 50, leave);
        if (leave === 'close') {
          await page.close({ runBeforeUnload: true });
          page = await openPage(context, url); // the shopper comes back later
        } else {
          await page.waitForURL((u) => (leave === 'navigate' ? u.search === '?next' : true));
          await ready(page);
        }
      } finally {
        await clearFaults(demo);
      }
      const counts = await allStored(demo, run, 50);
      await drained(page);
      expectStoredOnce(demo, run, 50);
      report(`chaos leave-during-outage ${leave}`, counts, { refused: seen.filter((batch) => batch.status === 503).length });
      await context.close();
    });
  }
});

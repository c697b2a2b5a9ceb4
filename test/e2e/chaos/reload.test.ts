// Chaos: reload the page again and again while a flush is on the wire. Events read for a batch
// stay in IndexedDB until acknowledged, so every reload may resend, and the collector's dedupe
// by id must turn that into exactly one stored copy.
import { describe, it } from 'vitest';
import {
  allStored,
  clearFaults,
  drained,
  expectStoredOnce,
  openPage,
  pageUrl,
  PAGES,
  ready,
  report,
  resent,
  setFaults,
  trackMany,
  watchBatches,
} from '../support/chaos';
import { useDemoAndBrowser } from '../support/demo';
import { waitFor } from '../support/poll';

const env = useDemoAndBrowser({ extraRoot: PAGES });

describe('chaos: reloads', () => {
  it('loses and duplicates nothing over 5 reloads in the middle of a flush', async () => {
    const { demo, browser } = env;
    const context = await browser.newContext();
    const seen = watchBatches(context);
    const page = await openPage(context, pageUrl(demo, 'delivery.html'));
    const rounds = 5;
    const perRound = 100;
    // Slow answers keep each flush on the wire long enough to be cut by the reload.
    await setFaults(demo, { delayMs: 600 });
    let cut = 0;
    try {
      for (let round = 0; round < rounds; round++) {
        const before = seen.length;
        await trackMany(page, 'reload-chaos', perRound, round * perRound);
        await waitFor(() => seen.slice(before).some((batch) => batch.status === undefined && batch.text.includes('"run":"reload-chaos"')), {
          message: `round ${round}: no flush in flight`,
        });
        cut += seen.slice(before).filter((batch) => batch.status === undefined).length;
        await page.reload();
        await ready(page);
      }
    } finally {
      await clearFaults(demo);
    }
    const tracked = rounds * perRound;
    const counts = await allStored(demo, 'reload-chaos', tracked);
    await drained(page);
    expectStoredOnce(demo, 'reload-chaos', tracked);
    report('chaos reload-mid-flush', counts, { reloads: rounds, 'requests cut': cut, resent: resent(seen) });
    await context.close();
  });
});

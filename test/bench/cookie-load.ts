// How much the machine's load slows the cookie round trip, measured in the run itself: a cookie
// write read back on a plain page, alternately with the machine as it is and with two extra
// CPU-bound threads per core spinning in this process. The difference is what SDKs that touch
// document.cookie in every call pay on a busy machine.
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Browser } from 'playwright-core';
import { cookieRoundTripUs, initScript } from './page';
import { median } from './summary';

export interface CookieLoad {
  /** µs per cookie write + read, median of the samples. */
  asIsUs: number;
  loadedUs: number;
  /** Extra spinning threads while loaded (two per core). */
  spinners: number;
  samples: number;
}

const spin = (n: number): Worker[] => Array.from({ length: n }, () => new Worker('for (;;) {}', { eval: true }));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const measureCookieLoad = async (browser: Browser, pageUrl: string, samples = 5): Promise<CookieLoad> => {
  const context = await browser.newContext();
  const spinners = 2 * cpus().length;
  try {
    await context.addInitScript({ content: 'window.__name = (f) => f;' }); // tsx's keepNames helper
    await context.addInitScript(initScript, { endpoint: '' });
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.evaluate(cookieRoundTripUs, 200); // the first writes set up the cookie jar: not timed
    const asIs: number[] = [];
    const loaded: number[] = [];
    for (let i = 0; i < samples; i++) {
      asIs.push(await page.evaluate(cookieRoundTripUs, 200));
      const workers = spin(spinners);
      try {
        await pause(300); // let the spinners take the cores
        loaded.push(await page.evaluate(cookieRoundTripUs, 200));
      } finally {
        await Promise.all(workers.map((w) => w.terminate()));
      }
      await pause(300);
    }
    return { asIsUs: median(asIs), loadedUs: median(loaded), spinners, samples };
  } finally {
    await context.close().catch(() => {});
  }
};

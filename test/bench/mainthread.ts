// Main-thread time of a page from Chromium's own counter (CDP Performance.getMetrics:
// TaskDuration, the summed duration of every task the renderer's main thread ran). Unlike a long-task observer or a timer around
// track(), it sees the deferred work too: timers, IndexedDB callbacks, serialisation, delivery.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface MainThreadSample {
  /** Wall-clock ms (Node) when sampled. */
  at: number;
  taskMs: number;
}

export interface MainThread {
  /** Main-thread task ms in the window, the page's idle rate subtracted. */
  taskMs: number;
  /** Length of the window: from the burst's first call until the page was idle again. */
  windowMs: number;
  /** Task ms per second the page spends when nobody calls the SDK (timers, the probe itself). */
  idleMsPerS: number;
  /** False when the page never went quiet before the bench gave up waiting. */
  idle: boolean;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const openMeter = async (context: BrowserContext, page: Page) => {
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async (): Promise<MainThreadSample> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { at: Date.now(), taskMs: value('TaskDuration') };
  };

  /**
   * Wait until the main thread is quiet: less than `quietMs` of tasks (beyond the idle rate) in
   * each of `windows` consecutive 250 ms windows. Some SDKs defer start-up or clean-up work by a
   * second or more, hence several windows. Returns the last sample and whether it went quiet.
   */
  const untilIdle = async (limitMs: number, windows: number, idleMsPerS = 0, quietMs = 3): Promise<[MainThreadSample, boolean]> => {
    const deadline = Date.now() + limitMs;
    let last = await sample();
    let quiet = 0;
    while (Date.now() < deadline) {
      await pause(250);
      const next = await sample();
      const busy = next.taskMs - last.taskMs - (idleMsPerS * (next.at - last.at)) / 1000;
      last = next;
      quiet = busy < quietMs ? quiet + 1 : 0;
      if (quiet >= windows) return [last, true];
    }
    return [last, false];
  };

  /** Task ms per second over `ms` of a page nobody calls. */
  const idleRate = async (ms: number): Promise<number> => {
    const a = await sample();
    await pause(ms);
    const b = await sample();
    return ((b.taskMs - a.taskMs) * 1000) / Math.max(1, b.at - a.at);
  };

  const between = (a: MainThreadSample, b: MainThreadSample, idleMsPerS: number, idle: boolean): MainThread => {
    const windowMs = b.at - a.at;
    const idleMs = (idleMsPerS * windowMs) / 1000;
    return {
      taskMs: Math.max(0, b.taskMs - a.taskMs - idleMs),
      windowMs,
      idleMsPerS,
      idle,
    };
  };

  return { sample, untilIdle, idleRate, between, close: () => cdp.detach().catch(() => {}) };
};

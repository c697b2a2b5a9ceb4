// CPU time of the renderer processes across all their threads (main thread, workers, compositor,
// IO…), from the browser's own process list (CDP SystemInfo.getProcessInfo: cumulative seconds
// per process). Work an SDK moves off the main thread, to a worker or another thread, still
// counts here. On Linux the figure is utime + stime from /proc, so it moves in 10 ms ticks.
import type { Browser } from 'playwright-core';

/** Cumulative CPU ms of each renderer process, by process id. */
export type RendererTimes = Map<number, number>;

export const openRendererClock = async (browser: Browser) => {
  const cdp = await browser.newBrowserCDPSession();
  const sample = async (): Promise<RendererTimes> => {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    return new Map(processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime * 1000]));
  };
  return { sample, close: () => cdp.detach().catch(() => {}) };
};

/**
 * CPU ms the renderers spent between two samples, process by process: one started in between
 * counts whole (its life is inside the window), one gone by `b` is lost rather than negative.
 * Every renderer counts, not only the page's: the bench runs one page at a time (a frame of the
 * page in another process is its work too), and the second renderer Chromium keeps beside a page
 * sits idle.
 */
export const rendererMsBetween = (a: RendererTimes, b: RendererTimes): number => {
  let ms = 0;
  for (const [id, cpuMs] of b) ms += Math.max(0, cpuMs - (a.get(id) ?? 0));
  return ms;
};

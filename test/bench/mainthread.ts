// Main-thread time of a page from Chromium's own counter (CDP Performance.getMetrics:
// TaskDuration, the summed duration of every task the renderer's main thread ran). Unlike a long-task observer or a timer around
// track(), it sees the deferred work too: timers, IndexedDB callbacks, serialisation, delivery.
// Each sample also reads the renderers' CPU time on all threads (renderer-cpu.ts), so that work
// moved off the main thread shows beside it, and the renderers' main threads' scheduler counters
// (schedstat.ts), which split the task time into time on a core and time waiting for one.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { openRendererClock, type RendererTimes, rendererMsBetween } from './renderer-cpu';
import { type MainThreadSched, readSchedstat, type SchedRates, type SchedTimes, schedInWindow, schedRates } from './schedstat';

export interface MainThreadSample {
  /** Wall-clock ms (Node) when sampled. */
  at: number;
  taskMs: number;
  /** Empty when the context has no browser to ask (a persistent context). */
  renderers: RendererTimes;
  /** The renderers' main threads on a core and waiting for one; empty where /proc cannot be read. */
  sched: SchedTimes;
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

/** The renderers' CPU time on every thread over the same window as MainThread. */
export interface RendererCpu {
  /** CPU ms in the window, the idle rate subtracted. */
  cpuMs: number;
  /** CPU ms per second the renderers spend when nobody calls the SDK. */
  idleMsPerS: number;
}

/** What a page nobody calls spends per second, on its main thread and in its renderers. */
export interface IdleRates {
  taskMsPerS: number;
  rendererMsPerS: number;
  /** Undefined where the scheduler counters cannot be read. */
  sched?: SchedRates;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const openMeter = async (context: BrowserContext, page: Page) => {
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const browser = context.browser();
  const clock = browser ? await openRendererClock(browser) : undefined;
  const sample = async (): Promise<MainThreadSample> => {
    const [{ metrics }, renderers] = await Promise.all([cdp.send('Performance.getMetrics'), clock?.sample() ?? new Map<number, number>()]);
    const value = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    const sched = await readSchedstat(renderers.keys());
    return { at: Date.now(), taskMs: value('TaskDuration'), renderers, sched };
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

  /** Task ms, renderer CPU ms and main-thread scheduler ms per second over `ms` of a page nobody calls. */
  const idleRate = async (ms: number): Promise<IdleRates> => {
    const a = await sample();
    await pause(ms);
    const b = await sample();
    const perS = (spent: number) => (spent * 1000) / Math.max(1, b.at - a.at);
    const sched = schedRates(a.sched, b.sched, b.at - a.at);
    return { taskMsPerS: perS(b.taskMs - a.taskMs), rendererMsPerS: perS(rendererMsBetween(a.renderers, b.renderers)), ...(sched ? { sched } : {}) };
  };

  const between = (
    a: MainThreadSample,
    b: MainThreadSample,
    idle: IdleRates,
    quiet: boolean,
  ): { mainThread: MainThread; renderer?: RendererCpu; sched?: MainThreadSched } => {
    const windowMs = b.at - a.at;
    const idleMs = (rate: number) => (rate * windowMs) / 1000;
    const mainThread = { taskMs: Math.max(0, b.taskMs - a.taskMs - idleMs(idle.taskMsPerS)), windowMs, idleMsPerS: idle.taskMsPerS, idle: quiet };
    if (!clock) return { mainThread };
    const cpuMs = Math.max(0, rendererMsBetween(a.renderers, b.renderers) - idleMs(idle.rendererMsPerS));
    const sched = schedInWindow(a.sched, b.sched, windowMs, idle.sched);
    return { mainThread, renderer: { cpuMs, idleMsPerS: idle.rendererMsPerS }, ...(sched ? { sched } : {}) };
  };

  const close = () => Promise.all([cdp.detach().catch(() => {}), clock?.close()]);
  return { sample, untilIdle, idleRate, between, close };
};

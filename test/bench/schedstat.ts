// Where the main thread's task time went: on a core, or waiting in the kernel's run queue for one.
// TaskDuration (mainthread.ts) is wall time, so on a machine with fewer free cores than runnable
// threads it includes the wait. Linux keeps both per thread in /proc/<pid>/task/<tid>/schedstat
// (ns on CPU, ns runnable but waiting, timeslices); a process's main thread has tid == pid.
// Elsewhere, or when the file cannot be read, a sample is empty and the figures are absent.
import { readFile } from 'node:fs/promises';

/** One thread's cumulative scheduler counters. */
export interface Schedstat {
  cpuNs: number;
  waitNs: number;
  slices: number;
}

/** The renderers' main threads, by renderer process id. */
export type SchedTimes = Map<number, Schedstat>;

/** What a page nobody calls spends per second on its main thread, on a core and waiting for one. */
export interface SchedRates {
  cpuMsPerS: number;
  waitMsPerS: number;
}

/** The renderers' main threads over the same window as MainThread, idle rates subtracted. */
export interface MainThreadSched {
  cpuMs: number;
  waitMs: number;
  idleCpuMsPerS: number;
  idleWaitMsPerS: number;
}

/**
 * "<cpu ns> <wait ns> <timeslices>". A kernel without scheduler accounting writes "0 0 0": a thread
 * that ran has run on a core, so all zeros means unmeasured, not idle, and reads as undefined.
 */
export const parseSchedstat = (text: string): Schedstat | undefined => {
  const fields = text.trim().split(/\s+/);
  if (fields.length < 3 || !fields.slice(0, 3).every((f) => /^\d+$/.test(f))) return undefined;
  const [cpuNs, waitNs, slices] = fields.slice(0, 3).map(Number) as [number, number, number];
  return cpuNs === 0 && slices === 0 ? undefined : { cpuNs, waitNs, slices };
};

/** The main thread's counters of each process; a process whose file is missing or unreadable is left out. */
export const readSchedstat = async (pids: Iterable<number>): Promise<SchedTimes> => {
  const read = async (pid: number) => parseSchedstat(await readFile(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').catch(() => ''));
  const entries = await Promise.all([...pids].map(async (pid) => [pid, await read(pid)] as const));
  return new Map(entries.filter((e): e is [number, Schedstat] => e[1] != null));
};

/**
 * ms on a core and ms waiting for one between two samples, summed over the renderers' main
 * threads the way rendererMsBetween sums their CPU time: one started in between counts whole, one
 * gone by `b` is lost rather than negative. Summed rather than picking the page's renderer because
 * CDP does not say which process is the page's, and the others (the spare renderer Chromium keeps
 * ready) sit idle, and what little they do is in the idle rate. Undefined when either sample read nothing.
 */
export const schedMsBetween = (a: SchedTimes, b: SchedTimes): { cpuMs: number; waitMs: number } | undefined => {
  if (!a.size || !b.size) return undefined;
  let cpuNs = 0;
  let waitNs = 0;
  for (const [pid, end] of b) {
    const start = a.get(pid);
    cpuNs += Math.max(0, end.cpuNs - (start?.cpuNs ?? 0));
    waitNs += Math.max(0, end.waitNs - (start?.waitNs ?? 0));
  }
  return { cpuMs: cpuNs / 1e6, waitMs: waitNs / 1e6 };
};

/** Per-second rates over `ms` of a page nobody calls. */
export const schedRates = (a: SchedTimes, b: SchedTimes, ms: number): SchedRates | undefined => {
  const spent = schedMsBetween(a, b);
  if (!spent) return undefined;
  const perS = (x: number) => (x * 1000) / Math.max(1, ms);
  return { cpuMsPerS: perS(spent.cpuMs), waitMsPerS: perS(spent.waitMs) };
};

/** The window's figures with what the page spends idle over as long subtracted, as mainthread.ts does for TaskDuration. */
export const schedInWindow = (a: SchedTimes, b: SchedTimes, windowMs: number, idle: SchedRates | undefined): MainThreadSched | undefined => {
  const spent = schedMsBetween(a, b);
  if (!spent || !idle) return undefined;
  const idleMs = (rate: number) => (rate * windowMs) / 1000;
  return {
    cpuMs: Math.max(0, spent.cpuMs - idleMs(idle.cpuMsPerS)),
    waitMs: Math.max(0, spent.waitMs - idleMs(idle.waitMsPerS)),
    idleCpuMsPerS: idle.cpuMsPerS,
    idleWaitMsPerS: idle.waitMsPerS,
  };
};

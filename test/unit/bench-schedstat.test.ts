// The renderers' main threads on a core and waiting for one, from Linux's schedstat counters:
// parsing, the sum between two samples, and the idle rate taken off.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSchedstat, readSchedstat, type SchedTimes, schedInWindow, schedMsBetween, schedRates } from '../bench/schedstat';

const at = (...threads: [pid: number, cpuMs: number, waitMs: number][]): SchedTimes =>
  new Map(threads.map(([pid, cpuMs, waitMs]) => [pid, { cpuNs: cpuMs * 1e6, waitNs: waitMs * 1e6, slices: 1 }]));

describe('schedstat', () => {
  it('reads ns on a core, ns waiting for one, and timeslices', () => {
    expect(parseSchedstat('139167231 45991445 87\n')).toEqual({ cpuNs: 139167231, waitNs: 45991445, slices: 87 });
  });

  it('reads nothing from an empty, malformed or unaccounted file', () => {
    expect(parseSchedstat('')).toBeUndefined();
    expect(parseSchedstat('12 34')).toBeUndefined();
    expect(parseSchedstat('12 -3 4')).toBeUndefined();
    // A kernel without scheduler accounting writes zeros for every thread.
    expect(parseSchedstat('0 0 0\n')).toBeUndefined();
  });

  it('sums what each main thread spent between two samples', () => {
    expect(schedMsBetween(at([1, 100, 40], [2, 10, 5]), at([1, 130, 70], [2, 12, 6]))).toEqual({ cpuMs: 32, waitMs: 31 });
  });

  it('counts a renderer started in between whole, and one gone by the end not at all', () => {
    expect(schedMsBetween(at([1, 100, 40], [2, 500, 300]), at([1, 110, 45], [3, 20, 8]))).toEqual({ cpuMs: 30, waitMs: 13 });
  });

  it('has no figure when either sample read nothing (no /proc)', () => {
    expect(schedMsBetween(new Map(), at([1, 10, 1]))).toBeUndefined();
    expect(schedMsBetween(at([1, 10, 1]), new Map())).toBeUndefined();
    expect(schedRates(new Map(), new Map(), 2000)).toBeUndefined();
    expect(schedInWindow(at([1, 10, 1]), at([1, 20, 2]), 1000, undefined)).toBeUndefined();
  });

  it('takes off the idle rate over the window, never below zero', () => {
    const idle = schedRates(at([1, 100, 50]), at([1, 104, 51]), 2000);
    expect(idle).toEqual({ cpuMsPerS: 2, waitMsPerS: 0.5 });
    // 3 s window: 6 ms of idle CPU and 1.5 ms of idle wait off 206 and 1 ms.
    expect(schedInWindow(at([1, 200, 60]), at([1, 406, 61]), 3000, idle)).toEqual({ cpuMs: 200, waitMs: 0, idleCpuMsPerS: 2, idleWaitMsPerS: 0.5 });
  });

  it.runIf(existsSync(`/proc/${process.pid}/task/${process.pid}/schedstat`))('reads a live main thread and leaves out a process that is gone', async () => {
    const times = await readSchedstat([process.pid, 2 ** 22 + 1]); // above Linux's pid_max
    expect([...times.keys()]).toEqual([process.pid]);
    expect(times.get(process.pid)!.cpuNs).toBeGreaterThan(0);
  });
});

// Fake timers for the tracker's own timers (flush interval, backoff, write-behind) while
// fake-indexeddb keeps running on the real setImmediate.
import { vi } from 'vitest';

export const useFakeClock = (start = '2026-11-23T10:00:00Z') => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date(start));
};

const realTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Let due timers, promises and IndexedDB work run, without moving the clock. */
export const settle = async (turns = 100) => {
  for (let i = 0; i < turns; i++) {
    await realTurn();
    await vi.advanceTimersByTimeAsync(0);
  }
};

/** Move the clock forward in steps, letting everything due run along the way. */
export const elapse = async (ms: number, step = 250) => {
  for (let t = 0; t < ms; t += step) {
    await vi.advanceTimersByTimeAsync(Math.min(step, ms - t));
    await settle(3);
  }
  await settle();
};

// A cap on billable events per session: whatever a page does in a loop, one visit costs at
// most this many activities. Essential events pass and are not counted.
import type { Guard } from '../plugin';

/** The count of the current session, kept by the caller across pages. */
export interface SessionCount {
  s: string;
  n: number;
}

export const sessionCap =
  (max = 500, count: SessionCount = { s: '', n: 0 }): Guard =>
  (event, entry) => {
    if (!entry.billable || entry.priority == 'essential') return;
    if (count.s != event.sessionId) {
      count.s = event.sessionId;
      count.n = 0;
    }
    if (count.n >= max) return 'session-cap';
    count.n++;
  };

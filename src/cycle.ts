// Billing cycles and the end-of-cycle forecast. Pure: every function takes the clock as an
// argument, so the tracker, the collector and the tests agree on the same figures.
import type { AccountUsage } from './protocol';
import type { AccountReport } from './types';

const DAY = 864e5;

interface Cycle {
  start: Date;
  /** Exclusive. */
  end: Date;
}

export interface Forecast {
  /** Share of the allowance used, 0–100+ (one decimal). */
  percent: number;
  /** Activities expected by the end of the cycle at the average daily rate so far. */
  projected: number;
  /** Local day (YYYY-MM-DD) the allowance ran out or will run out at this rate; null if it will not. */
  exhaustsOn: string | null;
  /** Whole days left in the cycle, today included. */
  daysLeft: number;
}

interface ForecastInput {
  used: number;
  allowance: number;
  start: Date | number;
  end: Date | number;
  now: Date | number;
  timeZone?: string;
  /** Daily use, when known: the day the allowance was exceeded is found from it. */
  byDay?: { day: string; used: number }[];
}

const formats: Record<string, Intl.DateTimeFormat> = {};

/** Milliseconds the zone's wall clock is ahead of UTC at instant `t`; 0 for UTC or an unknown zone. */
const offsetAt = (t: number, timeZone: string): number => {
  if (timeZone == 'UTC') return 0;
  try {
    // "11/23/2026, GMT+01:00" ("GMT" alone at UTC+0).
    const f = (formats[timeZone] ||= new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }));
    const [, sign, h, m] = /([+-])(\d+):(\d+)/.exec(f.format(t)) || [];
    return sign ? (sign == '-' ? -6e4 : 6e4) * (+h! * 60 + +m!) : 0;
  } catch {
    return 0; // unknown zone: count in UTC rather than throw into the page
  }
};

/** The UTC instant of local midnight on y-m-d (month may overflow; Date.UTC normalises it). */
const localMidnight = (y: number, m: number, d: number, timeZone: string): Date => {
  const wall = Date.UTC(y, m, d);
  let t = wall - offsetAt(wall, timeZone);
  // Second pass: the offset at the guess may differ from the offset at the answer (DST).
  t = wall - offsetAt(t, timeZone);
  return new Date(t);
};

/** Local calendar date of instant `t` as a Date whose UTC fields are the local fields. */
const localDate = (t: number, timeZone: string) => new Date(t + offsetAt(t, timeZone));

/** The local day of an instant, "YYYY-MM-DD". */
export const dayKey = (now: Date | number, timeZone = 'UTC'): string => localDate(+now, timeZone).toISOString().slice(0, 10);

/** Start day of the cycle in month m of year y, clamped to the month's length (31 → 28 in February). */
const startIn = (y: number, m: number, startDay: number) => Math.min(startDay, new Date(Date.UTC(y, m + 1, 0)).getUTCDate());

/** The billing cycle containing `now`: from local midnight of the start day to the next one. */
export const cycleAt = (now: Date | number, cycleStartDay = 1, timeZone = 'UTC'): Cycle => {
  const s = Math.min(31, Math.max(1, Math.floor(cycleStartDay) || 1));
  const local = localDate(+now, timeZone);
  const y = local.getUTCFullYear();
  let m = local.getUTCMonth();
  // A month of -1 is December of the year before: Date.UTC normalises it.
  if (local.getUTCDate() < startIn(y, m, s)) m--;
  return {
    start: localMidnight(y, m, startIn(y, m, s), timeZone),
    end: localMidnight(y, m + 1, startIn(y, m + 1, s), timeZone),
  };
};

/** Percent used, projection at the average daily rate so far, and the day the allowance runs out. */
export const forecast = ({ used, allowance, start, end, now, timeZone = 'UTC', byDay }: ForecastInput): Forecast => {
  const t = +now;
  const length = (+end - +start) / DAY;
  // At least one day elapsed, so the first minutes of a cycle do not extrapolate wildly.
  const elapsed = Math.min(length, Math.max(1, (t - +start) / DAY));
  const rate = used / elapsed;
  const percent = allowance > 0 ? Math.round((used / allowance) * 1e3) / 10 : 0;
  const projected = Math.round(rate * length);
  let exhaustsOn: string | null = null;
  if (used > 0 && used >= allowance) {
    exhaustsOn = dayKey(t, timeZone);
    let sum = 0;
    for (const d of [...(byDay || [])].sort((a, b) => (a.day < b.day ? -1 : 1))) {
      if ((sum += d.used) >= allowance) {
        exhaustsOn = d.day;
        break;
      }
    }
  } else if (projected > allowance && rate > 0) {
    exhaustsOn = dayKey(t + ((allowance - used) / rate) * DAY, timeZone);
  }
  return { percent, projected, exhaustsOn, daysLeft: Math.max(0, Math.ceil((+end - t) / DAY)) };
};

/** The collector's account figures with their forecast; the collector's own projection wins when it sent one. */
export const accountReport = (u: AccountUsage, now: Date | number = Date.now()): AccountReport => {
  const f = forecast({ used: u.used, allowance: u.allowance, start: Date.parse(u.cycleStart), end: Date.parse(u.cycleEnd), now });
  return { ...u, ...f, projected: u.projected ?? f.projected, exhaustsOn: u.exhaustsOn === undefined ? f.exhaustsOn : u.exhaustsOn };
};

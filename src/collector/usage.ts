// The authoritative consumption of an entity: accepted billable events, deduplicated, in the
// current billing cycle (src/cycle.ts), with the forecast the platform would show.
import type { AccountUsage } from '../schema';
import { cycleAt, forecast } from '../cycle';
import type { UsageDay } from './storage/types';
import type { EntityConfig } from './keys';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone, "YYYY-MM-DD" (en-CA writes dates that way). */
export const dayIn = (at: Date | number, timeZone: string): string => {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
};

export interface FullUsage extends AccountUsage {
  projected: number;
  exhaustsOn: string | null;
  percent: number;
  daysLeft: number;
  byDay: { day: string; used: number }[];
}

/** The days of an entity's current cycle, to read its usage over. */
export const cycleDays = (entity: EntityConfig, now: number) => {
  const { start, end } = cycleAt(now, entity.cycleStartDay, entity.timeZone);
  return { start, end, from: dayIn(start, entity.timeZone), to: dayIn(end, entity.timeZone) };
};

/** The usage of the current cycle from its days' counts (read with cycleDays' range). */
export const usageOf = (byDay: UsageDay[], entity: EntityConfig, now: number, { start, end } = cycleDays(entity, now)): FullUsage => {
  const used = byDay.reduce((sum, d) => sum + d.used, 0);
  const { percent, projected, exhaustsOn, daysLeft } = forecast({ used, allowance: entity.allowance, start, end, now });
  return {
    cycleStart: start.toISOString(),
    cycleEnd: end.toISOString(),
    used,
    allowance: entity.allowance,
    projected,
    exhaustsOn,
    percent,
    daysLeft,
    byDay,
  };
};

/** The short form every batch reply carries. */
export const replyUsage = ({ cycleStart, cycleEnd, used, allowance, projected, exhaustsOn }: FullUsage): AccountUsage => ({
  cycleStart,
  cycleEnd,
  used,
  allowance,
  projected,
  exhaustsOn,
});

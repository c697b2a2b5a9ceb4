// Usage (seed 000): "Activities from <cycle start>", used of total and the percentage, daily use
// against the even pace of the allowance, the end-of-cycle forecast with the date the allowance
// runs out, and usage by event type with the free events apart.
import { get, type Session } from '../api';
import { barChart } from '../chart';
import { empty, h, longDate, num, pct, table } from '../dom';

interface Usage {
  cycleStart: string;
  cycleEnd: string;
  used: number;
  allowance: number;
  percent: number;
  projected: number;
  exhaustsOn: string | null;
  daysLeft: number;
  byDay: Array<{ day: string; used: number }>;
}
interface ByType {
  billable: number;
  free: number;
  types: Array<{ type: string; billable: boolean; count: number }>;
}

/** Every day of the cycle, "YYYY-MM-DD", in the entity's time zone. */
const cycleDays = (usage: Usage, timeZone: string): string[] => {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const days = new Set<string>();
  for (let t = Date.parse(usage.cycleStart); t < Date.parse(usage.cycleEnd); t += 3600e3) days.add(format.format(t));
  return [...days];
};

export const usagePage = async (main: HTMLElement, session: Session) => {
  const [{ usage }, byType] = await Promise.all([get<{ usage: Usage }>('/usage'), get<ByType>('/usage/by-type')]);
  const days = cycleDays(usage, session.timeZone);
  const used = new Map(usage.byDay.map((d) => [d.day, d.used]));
  const pace = Math.round(usage.allowance / days.length);
  // Days after today are not drawn (null), rather than drawn as days of zero use.
  const today = days.length - usage.daysLeft;
  const over = usage.projected > usage.allowance;
  const lastDay = longDate(new Date(Date.parse(usage.cycleEnd) - 1).toISOString(), session.timeZone);

  const billable = byType.types.filter((t) => t.billable);
  const free = byType.types.filter((t) => !t.billable);
  main.replaceChildren(
    h('h1', {}, 'Usage'),
    h(
      'section',
      { class: 'card summary', 'aria-labelledby': 'cycle-title' },
      h('h2', { id: 'cycle-title' }, 'Activities from ', h('span', { 'data-figure': 'cycle-start' }, longDate(usage.cycleStart, session.timeZone))),
      h('p', { class: 'big' }, h('strong', { 'data-figure': 'percent' }, `${usage.percent.toLocaleString('en-US')} %`), ' of the allowance used'),
      h('meter', { min: 0, max: usage.allowance, value: Math.min(usage.used, usage.allowance), 'aria-label': 'Share of the allowance used' }),
      h(
        'p',
        {},
        h('strong', { 'data-figure': 'used' }, num(usage.used)),
        ' of ',
        h('strong', { 'data-figure': 'allowance' }, num(usage.allowance)),
        ' activities used · ',
        `${num(usage.daysLeft)} days left`,
      ),
    ),
    h(
      'section',
      { class: `card forecast${over ? ' warn' : ''}`, 'aria-labelledby': 'forecast-title' },
      h('h2', { id: 'forecast-title' }, 'Forecast'),
      h(
        'p',
        {},
        `At the average daily rate so far, the cycle ends on ${lastDay} with `,
        h('strong', { 'data-figure': 'projected' }, num(usage.projected)),
        ' activities.',
      ),
      over && usage.exhaustsOn
        ? h(
            'p',
            { class: 'warning', role: 'alert' },
            `Warning: the forecast exceeds the allowance of ${num(usage.allowance)}. At this rate the allowance runs out on `,
            h('strong', { 'data-figure': 'exhausts-on' }, longDate(usage.exhaustsOn)),
            '. Slow down low-priority events or upgrade the plan.',
          )
        : h('p', { class: 'ok' }, 'The forecast stays within the allowance.'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'daily-title' },
      h('h2', { id: 'daily-title' }, 'Daily use'),
      h(
        'p',
        { class: 'hint' },
        `Bars: activities billed each day. Dashed line: the even pace that uses the allowance exactly by the end of the cycle (${num(pace)} a day).`,
      ),
      usage.used
        ? barChart({
            name: 'daily',
            title: `Activities per day, ${longDate(usage.cycleStart, session.timeZone)} to ${lastDay}`,
            x: days,
            series: [{ label: 'Activities', values: days.map((d, i) => (i > today ? null : (used.get(d) ?? 0))) }],
            reference: { label: 'Even pace', value: pace },
          })
        : empty('No activity this cycle yet. Once the tracker sends events from the store, each day shows here.'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'types-title' },
      h('h2', { id: 'types-title' }, 'Usage by event type'),
      billable.length
        ? table(
            `Billed event types this cycle: ${num(byType.billable)} activities`,
            [
              ['Event type', 'text'],
              ['Activities', 'num'],
              ['Share', 'num'],
            ],
            billable.map((t) => [h('code', {}, t.type), num(t.count), pct(t.count, byType.billable)]),
            { 'data-table': 'billable-types' },
          )
        : empty('No billed events this cycle.'),
      free.length
        ? table(
            `Free events (not billed): ${num(byType.free)}`,
            [
              ['Event type', 'text'],
              ['Events', 'num'],
            ],
            free.map((t) => [h('code', {}, t.type), num(t.count)]),
            { 'data-table': 'free-types' },
          )
        : empty('No free events (web vitals, diagnostics) this cycle.'),
    ),
  );
};

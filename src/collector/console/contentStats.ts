// Content statistics from the grouped rows: per channel, sends / opens / clicks per day (null
// where the catalog has no such event), and per block (a content, a notification, a campaign).
import { CHANNELS, CONTENT_TYPES, type Channel, type Metric } from './contentKinds';
import type { ContentRow } from './storage';

type Counts = Record<Metric, number>;
const METRICS: Metric[] = ['sends', 'opens', 'clicks'];
const DAY = 864e5;

/** The UTC days from `from` to `to` (exclusive), "YYYY-MM-DD". */
const daysOf = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let t = Date.parse(from.slice(0, 10)); t < Date.parse(to); t += DAY) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
};

/** `today` (UTC): the days after it are null in the daily series, not drawn as days of zero. */
export const contentStats = (from: string, to: string, rows: ContentRow[], today = '9999-12-31') => {
  const days = daysOf(from, to);
  const index = new Map(days.map((day, i) => [day, i]));
  const channels = CHANNELS.map(({ channel, label, types }) => ({
    channel,
    label,
    daily: Object.fromEntries(METRICS.map((m) => [m, types[m] ? days.map((d) => (d > today ? null : 0)) : null])) as Record<Metric, Array<number | null> | null>,
    totals: Object.fromEntries(METRICS.map((m) => [m, types[m] ? 0 : null])) as Record<Metric, number | null>,
  }));
  const byChannel = new Map(channels.map((c) => [c.channel, c]));
  const blocks = new Map<string, { channel: Channel; block: string; name: string | null } & Counts>();
  for (const row of rows) {
    const kind = CONTENT_TYPES.get(row.type)!;
    const channel = byChannel.get(kind.channel)!;
    const i = index.get(row.day);
    if (i !== undefined && row.day <= today) channel.daily[kind.metric]![i] = (channel.daily[kind.metric]![i] ?? 0) + row.count;
    channel.totals[kind.metric]! += row.count;
    const block = row.block ?? '(no id)';
    const key = `${kind.channel}\u0000${block}`;
    const entry = blocks.get(key) ?? blocks.set(key, { channel: kind.channel, block, name: null, sends: 0, opens: 0, clicks: 0 }).get(key)!;
    entry[kind.metric] += row.count;
    entry.name ??= row.name;
  }
  return { from, to, days, channels, blocks: [...blocks.values()].sort((a, b) => b.clicks - a.clicks || b.opens - a.opens || a.block.localeCompare(b.block)) };
};

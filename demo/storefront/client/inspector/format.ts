// Pure formatting for the inspector: numbers, times and summaries as plain strings.
import type { AccountLike, BatchRow, EventRow, EventStatus, UsageReportLike } from './state';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds: events often land within the same second. */
export const formatTime = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};

export const formatBytes = (bytes: number): string => {
  if (!Number.isFinite(bytes)) return '?';
  if (bytes < 1024) return `${bytes} B`;
  return `${(bytes / 1024).toFixed(1)} KB`;
};

export const formatDelay = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
};

export const STATUS_LABEL: Record<EventStatus, string> = {
  queued: 'queued',
  sent: 'sent',
  retrying: 'retrying',
  acked: 'acknowledged',
  rejected: 'rejected',
  dropped: 'dropped',
};

/** The event's body as indented JSON, cut short so one huge event cannot swamp the panel. */
export const bodyText = (body: unknown, limit = 4000): string => {
  let text: string;
  try {
    text = JSON.stringify(body, null, 2) ?? String(body);
  } catch {
    text = String(body);
  }
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
};

/** One line per batch: what was sent, how, and what came back. */
export const batchSummary = (batch: BatchRow): string => {
  const parts = [
    batch.status ? `HTTP ${batch.status}` : batch.outcome === 'handed-off' ? 'no answer (beacon)' : 'network error',
    batch.outcome,
    `${batch.ids.length} event${batch.ids.length === 1 ? '' : 's'}`,
    `${formatBytes(batch.bytes)} → ${formatBytes(batch.wireBytes)} ${batch.encoding}`,
    batch.transport,
  ];
  if (batch.retryInMs !== undefined) parts.push(`retry in ${formatDelay(batch.retryInMs)}`);
  if (batch.reason) parts.push(batch.reason);
  return parts.join(' · ');
};

export const statusCounts = (events: EventRow[]): Record<EventStatus, number> => {
  const counts: Record<EventStatus, number> = { queued: 0, sent: 0, retrying: 0, acked: 0, rejected: 0, dropped: 0 };
  for (const row of events) counts[row.status]++;
  return counts;
};

/** The account as the collector reported it: "120 of 10000 activities (1.2%)" and the forecast. */
export const accountLines = (account: AccountLike | undefined): string[] => {
  if (!account || typeof account.used !== 'number') return [];
  const lines: string[] = [];
  const percent = account.percent ?? (account.allowance ? (account.used / account.allowance) * 100 : undefined);
  lines.push(`${account.used} of ${account.allowance ?? '?'} activities${percent === undefined ? '' : ` (${percent.toFixed(1)}%)`}`);
  if (account.cycleStart || account.cycleEnd) lines.push(`cycle ${(account.cycleStart ?? '?').slice(0, 10)} → ${(account.cycleEnd ?? '?').slice(0, 10)}`);
  if (typeof account.projected === 'number') lines.push(`projected at cycle end: ${Math.round(account.projected)}`);
  if (account.exhaustsOn) lines.push(`allowance runs out on ${account.exhaustsOn}`);
  if (typeof account.daysLeft === 'number') lines.push(`${account.daysLeft} days left in the cycle`);
  return lines;
};

const countsText = (value: Record<string, number> | number): string =>
  typeof value === 'number'
    ? String(value)
    : Object.entries(value)
        .filter(([, n]) => typeof n === 'number' && n !== 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || '0';

/** The browser's own ledger from usage(), as [label, value] rows; empty until the ledger exists. */
export const ledgerRows = (report: UsageReportLike | undefined): [string, string][] => {
  if (!report) return [];
  const rows: [string, string][] = [];
  if (report.cycle) rows.push(['cycle', `${report.cycle.start.slice(0, 10)} → ${report.cycle.end.slice(0, 10)}`]);
  if (report.activities) {
    for (const key of ['pending', 'accepted', 'rejected', 'dropped']) {
      if (typeof report.activities[key] === 'number') rows.push([`activities ${key}`, String(report.activities[key])]);
    }
  }
  for (const [reason, n] of Object.entries(report.drops ?? {})) rows.push([`dropped: ${reason}`, String(n)]);
  for (const [reason, n] of Object.entries(report.observed ?? {})) rows.push([`would drop: ${reason}`, String(n)]);
  for (const [type, value] of Object.entries(report.byType ?? {})) rows.push([`type ${type}`, countsText(value)]);
  for (const [day, value] of Object.entries(report.byDay ?? {})) rows.push([`day ${day}`, countsText(value)]);
  return rows;
};

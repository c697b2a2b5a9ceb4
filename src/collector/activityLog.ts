// A customer's activity log as seed 002 prints it: one line per lifecycle action, oldest
// first, `YYYY/MM/DD action ids [actor-email]` — the ids of the resources the action touched,
// and the email only when a person (the shopper or an operator) did it.
import { ID_KEYS, LIFECYCLE_ACTIONS, type Envelope } from '../schema';
import type { Dialect, Fragment } from './storage/dialect';

export interface LogEntry {
  at: string;
  action: string;
  ids: string[];
  /** Months of a grace period or of a postponement. */
  months?: number;
  actorEmail?: string;
}

const ACTIONS = LIFECYCLE_ACTIONS.map(() => '?').join(', ');

/**
 * The query of one customer's lifecycle actions in one entity: done while identified as them,
 * by a browser merged into their profile, or by anyone (an operator) naming them as `userId`.
 */
export const activityLogQuery = (dialect: Dialect, entity: string, customerId: string): Fragment => {
  const name = dialect.text('e.envelope', ['body', 'name']);
  return {
    // Candidates by index (their own customer id, their merged browsers, or naming them as
    // userId), then the lifecycle actions among them not done for someone else.
    sql: `SELECT e.envelope AS envelope FROM events e
       WHERE e.entity = ? AND e.id IN (
           SELECT id FROM events WHERE entity = ? AND customer_id = ?
           UNION SELECT id FROM events WHERE entity = ? AND anonymous_id IN
             (SELECT anonymous_id FROM profile_aliases WHERE entity = ? AND customer_id = ?)
           UNION SELECT id FROM events WHERE entity = ? AND ${dialect.subject('envelope')} = ?)
         AND e.type = 'custom-event'
         AND ${name.sql} IN (${ACTIONS})
         AND coalesce(${dialect.subject('e.envelope')}, ?) = ?
       ORDER BY e.created_at, e.id`,
    params: [entity, entity, customerId, entity, entity, customerId, entity, customerId, ...name.params, ...LIFECYCLE_ACTIONS, customerId, customerId],
  };
};

/** The log entry of one stored lifecycle event (its envelope as JSON text). */
export const toLogEntry = (envelope: string): LogEntry => {
  const event = JSON.parse(envelope) as Envelope;
  const body = event.body as { name: string; properties?: Record<string, unknown> };
  const props = body.properties ?? {};
  // The log is the customer's own: their id is news only on the line that created them.
  const keys = body.name === 'created_user' ? ID_KEYS : ID_KEYS.filter((key) => key !== 'userId');
  const entry: LogEntry = {
    at: event.createdAt,
    action: body.name,
    ids: keys.map((key) => props[key]).filter((v): v is string => typeof v === 'string'),
  };
  if (typeof props.months === 'number') entry.months = props.months;
  if (typeof props.actorEmail === 'string') entry.actorEmail = props.actorEmail;
  return entry;
};

/** "2026/03/05 enable_grace_subscription s-1 months=2 ana@example.com" (dates in UTC). */
export const formatLogLine = (entry: LogEntry): string =>
  [
    entry.at.slice(0, 10).replace(/-/g, '/'),
    entry.action,
    ...entry.ids,
    ...(entry.months ? [`months=${entry.months}`] : []),
    ...(entry.actorEmail ? [entry.actorEmail] : []),
  ].join(' ');

/** The whole log as text/plain, one line per action. */
export const formatLog = (entries: LogEntry[]): string => entries.map((e) => `${formatLogLine(e)}\n`).join('');

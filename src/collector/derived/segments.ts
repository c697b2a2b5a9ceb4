// Segments (seed 003): per-entity rules over a customer's profile attributes and event counts or
// sums. A customer's membership is re-evaluated after each batch that touches them and, for rules
// over a time window, by the jobs (a member whose purchases age out leaves). Membership is rows of
// `segment_members`: only the transaction that inserts (or deletes) a row emits the
// entity-entered-segment (entity-exited-segment) event, so a change is announced once.
import type { Envelope } from '../../schema';
import { JOIN_ALIASES } from '../profiles';
import type { Dialect } from '../storage/dialect';
import type { SqlClient } from '../storage/sql';
import { derivedEvent } from './envelope';
import type { Compare, Condition, SegmentRule } from './segmentRules';

const DAY = 86_400_000;

const compare = (value: unknown, c: Compare): boolean => {
  if (c.eq !== undefined && value !== c.eq) return false;
  if (c.ne !== undefined && value === c.ne) return false;
  const ordered = [c.gt, c.gte, c.lt, c.lte].some((v) => v !== undefined);
  if (!ordered) return true;
  if (typeof value !== 'number') return false;
  return (
    (c.gt === undefined || value > c.gt) &&
    (c.gte === undefined || value >= c.gte) &&
    (c.lt === undefined || value < c.lt) &&
    (c.lte === undefined || value <= c.lte)
  );
};

interface ProfileRow {
  email: string | null;
  attributes: string;
}

/** The value a condition compares: an attribute, or a count or sum of the customer's events. */
const measure = async (tx: SqlClient, dialect: Dialect, entity: string, customerId: string, profile: ProfileRow, c: Condition, now: number) => {
  if ('attribute' in c) return c.attribute === 'email' ? profile.email : (JSON.parse(profile.attributes) as Record<string, unknown>)[c.attribute];
  const type = 'count' in c ? c.count : c.of;
  const since = c.days ? new Date(now - c.days * DAY).toISOString() : '';
  const value = 'sum' in c ? dialect.number('e.envelope', ['body', ...c.sum.split('.')]) : { sql: '1', params: [] };
  const [row] = await tx.all<{ n: number; total: number | null }>(
    `SELECT count(*) AS n, sum(${value.sql}) AS total FROM events e ${JOIN_ALIASES}
     WHERE e.entity = ? AND e.type = ? AND COALESCE(e.customer_id, a.customer_id) = ? AND e.created_at >= ?`,
    [...value.params, entity, type, customerId, since],
  );
  return 'sum' in c ? Number(row?.total ?? 0) : Number(row?.n ?? 0);
};

const matches = async (tx: SqlClient, dialect: Dialect, entity: string, customerId: string, profile: ProfileRow, rule: SegmentRule, now: number) => {
  for (const c of rule.when) if (!compare(await measure(tx, dialect, entity, customerId, profile, c, now), c)) return false;
  return true;
};

/** Bring one customer's membership up to date; the entered/exited events to store. */
export const evaluateSegments = async (
  tx: SqlClient,
  dialect: Dialect,
  entity: string,
  customerId: string,
  rules: SegmentRule[],
  now: number,
): Promise<Envelope[]> => {
  // Locked (PostgreSQL) so that two replicas evaluating one customer take turns.
  const [profile] = await tx.all<ProfileRow>(`SELECT email, attributes FROM profiles WHERE entity = ? AND customer_id = ?${dialect.forUpdate}`, [
    entity,
    customerId,
  ]);
  if (!profile) return [];
  const wanted = new Set<string>();
  for (const rule of rules) if (await matches(tx, dialect, entity, customerId, profile, rule, now)) wanted.add(rule.name);
  const current = new Set(
    (await tx.all<{ segment: string }>('SELECT segment FROM segment_members WHERE entity = ? AND customer_id = ?', [entity, customerId])).map((r) => r.segment),
  );
  const at = new Date(now).toISOString();
  const events: Envelope[] = [];
  for (const segment of wanted) {
    if (current.has(segment)) continue;
    const entered = await tx.run('INSERT INTO segment_members (entity, customer_id, segment, entered_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      entity,
      customerId,
      segment,
      at,
    ]);
    if (entered === 1) events.push(derivedEvent(entity, 'entity-entered-segment', { segment, customerId }, { customerId }, at));
  }
  for (const segment of current) {
    if (wanted.has(segment)) continue;
    const exited = await tx.run('DELETE FROM segment_members WHERE entity = ? AND customer_id = ? AND segment = ?', [entity, customerId, segment]);
    if (exited === 1) events.push(derivedEvent(entity, 'entity-exited-segment', { segment, customerId }, { customerId }, at));
  }
  if (events.length) {
    await tx.run('UPDATE profiles SET segments = ? WHERE entity = ? AND customer_id = ?', [JSON.stringify([...wanted].sort()), entity, customerId]);
  }
  return events;
};

/** Customers to re-evaluate by time alone: today's members (their windows may have passed). */
export const segmentMembers = async (db: SqlClient, entity: string, after: string, limit: number): Promise<string[]> =>
  (
    await db.all<{ customer_id: string }>('SELECT DISTINCT customer_id FROM segment_members WHERE entity = ? AND customer_id > ? ORDER BY customer_id LIMIT ?', [
      entity,
      after,
      limit,
    ])
  ).map((r) => r.customer_id);

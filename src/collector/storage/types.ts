// The storage contract of the collector: what ingest and the admin routes ask of a database,
// whatever its engine. Two engines implement it over one SQL text (sql.ts): SQLite through
// better-sqlite3 (the embedded default) and PostgreSQL through node-postgres (replicas).
import type { Envelope } from '../../schema';
import type { LogEntry } from '../activityLog';
import type { Profile } from '../profiles';
import type { Take } from '../rateLimit';

export interface StoredEvent {
  envelope: Envelope;
  /** The envelope as JSON, as stored. */
  json: string;
  billable: boolean;
}

export interface EventQuery {
  type?: string;
  anonymousId?: string;
  /**
   * Only events after this one (its id, as returned by an earlier read): a cursor for polling
   * readers that never skips nor repeats an event, however replicas commit.
   */
  after?: string;
  limit?: number;
}

export interface UsageDay {
  day: string;
  used: number;
}

export interface BatchResult {
  accepted: number;
  duplicates: number;
  /** The entity's billable use per day over the asked range, read in the same transaction. */
  usage: UsageDay[];
}

/** A report compiled for one engine (reports.ts): SQL text with `?` and its parameters. */
export interface ReportQuery {
  sql: string;
  params: unknown[];
  /** Stop it after this long (ReportTimeout); storage/sql.ts REPORT_TIMEOUT_MS by default. */
  timeoutMs?: number;
}

export interface Storage {
  /** "sqlite" or "postgres": which SQL the report planner writes. */
  readonly engine: Engine;
  /** Where it is, with any password hidden: for logs and /readyz. */
  readonly name: string;
  /**
   * Store one batch in one transaction: insert with the key (entity, id) ignoring conflicts,
   * count as accepted only the rows really inserted, add their billable ones to `day`'s usage,
   * update the profiles, read the usage from `usageFrom` (inclusive) to `usageTo` (exclusive).
   */
  insertBatch(batch: {
    entity: string;
    receivedAt: string;
    day: string;
    events: StoredEvent[];
    usageFrom: string;
    usageTo: string;
  }): Promise<BatchResult>;
  /** An entity's events in commit order. */
  events(entity: string, query?: EventQuery): Promise<Envelope[]>;
  /** Billable events accepted per day, days from `from` (inclusive) to `to` (exclusive). */
  usageDays(entity: string, from: string, to: string): Promise<UsageDay[]>;
  /**
   * Take one request from a key's token bucket, shared by every replica that uses this
   * database: 0 when it may go, else the seconds to wait.
   */
  takeToken(key: string, rate: { perSecond: number; burst: number }, now: number): Promise<number>;
  /**
   * Take from several buckets at once (a key's requests, events and bytes), all or none, in one
   * short transaction: 0 when every take fits, else the longest wait in seconds.
   */
  takeTokens(takes: Take[], now: number): Promise<number>;
  profile(entity: string, customerId: string): Promise<Profile | undefined>;
  profiles(entity: string, limit: number): Promise<Profile[]>;
  activityLog(entity: string, customerId: string): Promise<LogEntry[]>;
  /** One page of the customer-action export's candidate events, keyset-paged on (createdAt, id). */
  exportPage(entity: string, after: [string, string], limit: number): Promise<ExportRow[]>;
  report(query: ReportQuery): Promise<Array<Array<string | number | boolean | null>>>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ExportRow {
  id: string;
  createdAt: string;
  envelope: string;
  alias: string | null;
}

export type Engine = 'sqlite' | 'postgres';

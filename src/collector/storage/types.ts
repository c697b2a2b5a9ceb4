// The storage contract of the collector: what ingest and the admin routes ask of a database,
// whatever its engine. Two engines implement it over one SQL text (sql.ts): SQLite through
// better-sqlite3 (the embedded default) and PostgreSQL through node-postgres (replicas).
import type { Envelope } from '../../schema';
import type { LogEntry } from '../activityLog';
import type { BotCounts } from '../bots';
import type { Profile } from '../profiles';
import type { ConsoleStorage } from '../console/storage';
import type { SegmentRule } from '../derived/segmentRules';
import type { DeadLetter, OutboxItem } from '../webhooks/outbox';
import type { WebhookRule } from '../webhooks/rules';

export type { DeadLetter, OutboxItem };

/** What derived events and webhooks need of an entity's config (EntityConfig fits). */
export interface PlatformRules {
  entity: string;
  timeZone: string;
  cartAbandonedAfterHours?: number;
  segments?: SegmentRule[];
  webhooks?: WebhookRule[];
}
import type { Take } from '../rateLimit';

export interface StoredEvent {
  envelope: Envelope;
  /** The envelope as JSON, as stored. */
  json: string;
  billable: boolean;
  /** Sent by a bot (src/collector/bots.ts): stored flagged, never billed. */
  bot?: boolean;
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

export interface Storage extends ConsoleStorage {
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
    /** The entity's cart, segment and webhook rules, followed in the same transaction. */
    platform?: PlatformRules;
    /** Bot events dropped from this batch (the entity's `bots: "drop"`), counted on `day`. */
    botsDropped?: number;
  }): Promise<BatchResult>;
  /** An entity's events in commit order. */
  events(entity: string, query?: EventQuery): Promise<Envelope[]>;
  /** Billable events accepted per day, days from `from` (inclusive) to `to` (exclusive). */
  usageDays(entity: string, from: string, to: string): Promise<UsageDay[]>;
  /** Bot events, flagged and dropped, days from `from` (inclusive) to `to` (exclusive). */
  botCounts(entity: string, from: string, to: string): Promise<BotCounts>;
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
  /** Claim the entity's due cart episodes and store their cart-abandoned events; how many. */
  abandonCarts(rules: PlatformRules, now: number, replica: string): Promise<number>;
  /** Re-evaluate segment members whose windows may have passed; the events stored. */
  sweepSegments(rules: PlatformRules, now: number): Promise<number>;
  /** Claim due webhook deliveries for this replica (a lease, see webhooks/outbox.ts). */
  claimWebhooks(entity: string, now: number, replica: string, limit: number): Promise<OutboxItem[]>;
  /** A delivery succeeded: marked, and billed once as execute-webhook. */
  webhookDelivered(rules: PlatformRules, item: OutboxItem, now: number): Promise<boolean>;
  /** A delivery failed: retried at `retryAt`, or dead past its 24 hours. */
  webhookFailed(id: string, now: number, error: string, retryAt: number): Promise<'pending' | 'dead'>;
  deadWebhooks(entity: string, limit: number): Promise<DeadLetter[]>;
  /** Queue a dead letter again (same delivery id); false when there is no such dead letter. */
  retryWebhook(entity: string, id: string, now: number): Promise<boolean>;
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

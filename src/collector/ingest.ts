// POST /v1/batch without the HTTP around it: decode, check the batch, the key, the origin and
// the rate, validate every event with the tracker's own schemas, store the valid ones.
import { type Checked, type Envelope, lookup, type RejectedEvent } from '../schema';
import { checkCreatedAt } from './clock';
import { applyBotPolicy, isBotRequest } from './bots';
import type { Keys, RateLimitConfig } from './keys';
import { nestsDeeperThan, MAX_JSON_DEPTH } from './jsonDepth';
import { decodeBody, type Limits, MAX_EVENT_DEPTH } from './limits';
import { budgets } from './rateLimit';
import { senderOf } from './serverKeys';
import type { Stores } from './storage/router';
import type { StoredEvent } from './storage/types';
import { cycleDays, dayIn, replyUsage, usageOf } from './usage';

export interface IngestDeps {
  keys: Keys;
  stores: Stores;
  rateLimit: RateLimitConfig;
  limits: Limits;
  now: () => number;
}

export interface IngestRequest {
  body: Buffer;
  gzip: boolean;
  /** The Origin header, when a browser sent it. */
  origin?: string;
  /** The key from `?writeKey=`, already checked and charged its request (admission.ts). */
  queryKey?: string;
  /** Whether admission charged the body's bytes (from Content-Length). */
  bytesCharged?: boolean;
  /** Called once the batch is parsed and validated: the CPU-heavy part is over. */
  parsed?: () => void;
  /** The Authorization header: `Bearer <serverKey>` from a store's back end. */
  authorization?: string;
  /** The User-Agent header, to tell bots (src/collector/bots.ts). */
  userAgent?: string;
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  retryAfter?: number;
}

const fail = (status: number, error: string, retryAfter?: number): Reply => ({
  status,
  body: retryAfter === undefined ? { error } : { error, retryAfter },
  retryAfter,
});

/** The id to report a rejected event under: its own when it has a usable one. */
const idOf = (raw: unknown, index: number): string => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 100 ? id : `events[${index}]`;
};

/** Strings PostgreSQL's jsonb refuses (a NUL, an unpaired surrogate): one would fail its whole batch there. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * Why an event cannot be stored as it is, looked for without recursion: nesting deeper than
 * MAX_EVENT_DEPTH, a string (value or key) that the engines cannot keep, a number that is not finite.
 * `json` is the event serialised: JSON.stringify writes a NUL or an unpaired surrogate as a `\u`
 * escape, so without one no string needs a look.
 */
const unstorableReason = (value: unknown, json: string): string | undefined => {
  const strings = json.includes('\\u');
  // Two stacks rather than one of pairs: no array per node.
  const nodes: unknown[] = [value];
  const depths: number[] = [1];
  while (nodes.length) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (typeof node === 'string') {
      if (strings && unstorable(node)) return 'invalid-envelope: a string holds a NUL character or an unpaired surrogate';
      continue;
    }
    // JSON.parse reads 1e999 as Infinity, which JSON.stringify would store as null.
    if (typeof node === 'number' && !Number.isFinite(node)) return 'invalid-envelope: a number is out of range (not finite)';
    if (!node || typeof node !== 'object') continue;
    if (depth > MAX_EVENT_DEPTH) return `too-deep: event nested over ${MAX_EVENT_DEPTH} levels`;
    for (const key of Object.keys(node)) {
      if (strings && unstorable(key)) return 'invalid-envelope: a key holds a NUL character or an unpaired surrogate';
      nodes.push((node as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return undefined;
};

interface CheckContext {
  entity: string;
  /** The browser's schemas for a write key, the platform's for a server key (serverKeys.ts). */
  validate: (raw: unknown) => Checked<Envelope>;
  maxBytes: number;
  sentAt: string;
  now: number;
}

/** Validate one event and add it to `valid`, or say why not. */
const check = (event: unknown, context: CheckContext, valid: StoredEvent[]): string | undefined => {
  const checked = context.validate(event);
  if (!checked.ok) return `${checked.code}: ${checked.message}`;
  const { entity } = context;
  if (checked.value.entity !== entity) {
    return `wrong-entity: the write key belongs to "${entity}", not "${checked.value.entity.slice(0, 100)}"`;
  }
  // Serialised once for the checks, the limit and the row (again only when createdAt is corrected).
  let json = JSON.stringify(checked.value);
  const unfit = unstorableReason(checked.value, json);
  if (unfit) return unfit;
  const time = checkCreatedAt(checked.value.createdAt, context.sentAt, context.now);
  if (!time.ok) return time.error;
  let envelope = checked.value;
  if (time.clientCreatedAt) {
    envelope = { ...checked.value, createdAt: time.createdAt, clientCreatedAt: time.clientCreatedAt } as Envelope;
    json = JSON.stringify(envelope);
  }
  // Measured as stored. UTF-8 takes at most 3 bytes per UTF-16 unit: most events need no count.
  if (json.length * 3 > context.maxBytes && Buffer.byteLength(json) > context.maxBytes) return `too-large: event over ${context.maxBytes} bytes`;
  valid.push({ envelope, json, billable: lookup(envelope.type)?.billable ?? false });
  return undefined;
};

export const ingest = async (deps: IngestDeps, request: IngestRequest): Promise<Reply> => {
  const decoded = await decodeBody(request.body, request.gzip, deps.limits);
  if (!decoded.ok) return fail(decoded.status, decoded.error);

  if (nestsDeeperThan(decoded.text, MAX_JSON_DEPTH)) return fail(400, `body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let raw: unknown;
  try {
    raw = JSON.parse(decoded.text);
  } catch {
    return fail(400, 'body is not valid JSON');
  }
  const bodyKey = (raw as { writeKey?: unknown } | null)?.writeKey;
  if (request.queryKey !== undefined && raw && typeof raw === 'object' && !Array.isArray(raw)) {
    if (bodyKey !== undefined && bodyKey !== request.queryKey) return fail(400, 'the writeKey of the query string and of the body differ');
    // New clients may leave the key out of the body: the query string's stands for it.
    raw = { ...raw, writeKey: request.queryKey };
  }
  const events = (raw as { events?: unknown } | null)?.events;
  // Too many events is a size problem: a 413 makes the tracker split the batch.
  if (Array.isArray(events) && events.length > deps.limits.maxEvents) {
    return fail(413, `more than ${deps.limits.maxEvents} events in one batch`);
  }
  // A server key (serverKeys.ts) or the write key: who sends, and how events are checked.
  const sender = senderOf(deps.keys, raw, request.authorization, request.origin);
  if ('error' in sender) return fail(sender.status, sender.error);
  const { entity } = sender;
  const store = deps.stores.of(entity.entity);
  // The key's budgets: what admission could not charge before the body was read.
  const budget = budgets(sender.bucket, deps.rateLimit);
  const takes = [budget.events(sender.events.length)];
  if (!request.bytesCharged) takes.push(budget.bytes(request.body.length));
  if (request.queryKey === undefined) takes.push(budget.requests());
  const wait = await store.takeTokens(takes, deps.now());
  if (wait > 0) return fail(429, 'too many requests, events or bytes for this key', wait);

  const rejected: RejectedEvent[] = [];
  const valid: StoredEvent[] = [];
  const context: CheckContext = {
    entity: entity.entity,
    validate: sender.validate,
    maxBytes: deps.limits.maxEventBytes,
    sentAt: sender.sentAt,
    now: deps.now(),
  };
  sender.events.forEach((event, index) => {
    const id = idOf(event, index);
    try {
      const error = check(event, context, valid);
      if (error) rejected.push({ id, error });
    } catch {
      // JSON.stringify and the schemas recurse: a hostile event nested 100,000 deep lands here.
      rejected.push({ id, error: 'invalid-envelope: nested too deeply' });
    }
  });

  request.parsed?.();
  // A bot's events: flagged and never billed, or dropped (the entity's `bots`).
  const bot = isBotRequest(request) ? applyBotPolicy(entity.bots, valid) : undefined;
  const keep = bot ? bot.events : valid;
  const now = deps.now();
  const cycle = cycleDays(entity, now);
  const stored =
    keep.length || bot?.dropped
      ? await store.insertBatch({
          entity: entity.entity,
          receivedAt: new Date(now).toISOString(),
          day: dayIn(now, entity.timeZone),
          events: keep,
          usageFrom: cycle.from,
          usageTo: cycle.to,
          platform: entity,
          botsDropped: bot?.dropped,
        })
      : { accepted: 0, duplicates: 0, usage: await store.usageDays(entity.entity, cycle.from, cycle.to) };
  return {
    status: 200,
    body: {
      accepted: stored.accepted,
      duplicates: stored.duplicates,
      rejected,
      ...(bot && { bot: entity.bots ?? 'flag' }),
      usage: replyUsage(usageOf(stored.usage, entity, now, cycle)),
    },
  };
};

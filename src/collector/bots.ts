// Bot traffic: crawlers and automated browsers that run a store's pages send events too, and
// every one of them would burn the allowance that cost accounting protects. Each browser
// request's User-Agent is classified with `isbot` (a maintained list, so no pattern of ours
// goes stale); an entity's `bots` setting keeps their events flagged (stored with `bot` = 1,
// never billed) or drops them. Counted apart per day (bot_days) for `GET /v1/usage`.
import { isbot } from 'isbot';
import type { StoredEvent } from './storage/types';

export type BotPolicy = 'flag' | 'drop';
export const BOT_POLICIES: readonly BotPolicy[] = ['flag', 'drop'];

export interface BotRequest {
  userAgent?: string;
  /** The Origin header: only pages send one, and only pages are classified. */
  origin?: string;
  /** A server key's requests come from the store's own back end, never a crawler. */
  authorization?: string;
}

/**
 * A bot's request: a page's (an Origin, no server key) whose User-Agent isbot knows. Requests
 * without an Origin are server to server (the Node SDK, a store's back end, scripts), whose
 * user agents ("node", "curl") say nothing about shoppers.
 */
export const isBotRequest = ({ userAgent, origin, authorization }: BotRequest): boolean => !authorization && origin !== undefined && !!userAgent && isbot(userAgent);

/** A bot's valid events as the entity's policy wants them: flagged and free, or none (and how many dropped). */
export const applyBotPolicy = (policy: BotPolicy | undefined, events: StoredEvent[]): { events: StoredEvent[]; dropped: number } =>
  policy === 'drop'
    ? { events: [], dropped: events.length }
    : // Written out: V8 copies `{ ...event, bot: true }` slowly, ~1 µs an event.
      { events: events.map(({ envelope, json }) => ({ envelope, json, billable: false, bot: true })), dropped: 0 };

/** Bot events of an entity over days: stored flagged, and dropped. */
export interface BotCounts {
  flagged: number;
  dropped: number;
}

export const sumBots = (days: Array<{ flagged: number | string; dropped: number | string }>): BotCounts => ({
  flagged: days.reduce((sum, d) => sum + Number(d.flagged), 0),
  dropped: days.reduce((sum, d) => sum + Number(d.dropped), 0),
});

/** The `bots` setting of an entity in collector.json: "flag" (the default) or "drop". */
export const parseBotPolicy = (path: string, raw: unknown, fail: (path: string, message: string) => never): BotPolicy =>
  BOT_POLICIES.includes(raw as BotPolicy) ? (raw as BotPolicy) : fail(path, `must be "flag" or "drop", got ${JSON.stringify(raw)}`);

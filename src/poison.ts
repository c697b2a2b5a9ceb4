// Finding the event a collector cannot store (issue 18: one 1,000-deep event failed its whole
// batch with 500, again and again, and held every event behind it). A batch that keeps failing
// with such a 5xx is halved at once, and the halves sent on, until one event fails alone. That
// event is set aside as a suspect, and proven poison only when a request without it is stored
// right after: a collector that is down fails that one too, and then nothing is dropped.
import type { QueueItem } from './queue';
import type { SendResult } from './transport';

/** Failures in a row (with backoff between) before a batch is halved. */
export const SPLIT_AFTER = 3;
/** Suspects at once: more events failing alone means a collector that is down, not poison. */
const MAX_SUSPECTS = 2;

export interface Isolation {
  /** Events per batch while isolating (the configured batch size when not). */
  cap: number;
  /** Events that failed alone, kept out of batches until a batch without them is stored. */
  suspects: Map<string, QueueItem>;
}

export const createIsolation = (max: number): Isolation => ({ cap: max, suspects: new Map() });

/** A 5xx one event may have caused: not 503 nor an answer with Retry-After (down, try later). */
export const mayBePoison = ({ verdict, report, retryAfterMs }: SendResult): boolean =>
  verdict === 'retry' && report.status >= 500 && report.status !== 503 && retryAfterMs === undefined;

/** The next batch's candidates: up to `cap` of `items`, the suspects left out (read `cap + suspects.size`). */
export const pick = (iso: Isolation, items: QueueItem[], limit: number): QueueItem[] =>
  items.filter((item) => !iso.suspects.has(item.id)).slice(0, Math.min(limit, iso.cap));

/**
 * After a failure that may be poison (`attempt` failures before it): true to send again at once,
 * halved or without the one event that failed alone; false to back off as usual.
 */
export const isolate = (iso: Isolation, batch: QueueItem[], attempt: number, max: number): boolean => {
  if (iso.cap >= max && attempt + 1 < SPLIT_AFTER) return false;
  if (batch.length > 1) {
    iso.cap = Math.ceil(batch.length / 2);
    return true;
  }
  if (iso.suspects.size < MAX_SUSPECTS) {
    iso.suspects.set(batch[0]!.id, batch[0]!);
    return true;
  }
  iso.suspects.clear(); // every event fails alone: the collector is down
  return false;
};

/** A batch was stored: the batch size grows back, and the suspects left out of it are poison (returned). */
export const stored = (iso: Isolation, max: number): QueueItem[] => {
  iso.cap = Math.min(max, iso.cap * 2);
  const poison = [...iso.suspects.values()];
  iso.suspects.clear();
  return poison;
};

// Payloads of `acked` and `dropped` built from queue items, whose `events` are parsed on first
// read. The main-thread work after an acknowledgement (9–13 µs an event) was mostly parsing
// envelopes nobody read: the ledger, their one built-in listener, needs only ids and types.
import type { Envelope } from './envelope';
import { envelopes, type QueueItem } from './queue';

/** The queue items behind a payload's `events`: internal, not part of the public payload. */
const ITEMS = Symbol();

type Listed = { events: Envelope[]; [ITEMS]?: QueueItem[] };

/** What a payload lists, each with its id and type: its queue items when it has them (nothing parsed), else its events. */
export const listed = (payload: { events: Envelope[] }): Array<QueueItem | Envelope> => (payload as Listed)[ITEMS] || payload.events;

/** `fields` with `events`, parsed from `items` once, on first read (the same array every read). */
export const withEvents = <T extends object>(fields: T, items: QueueItem[]): T & Listed => {
  let events: Envelope[] | undefined;
  return {
    ...fields,
    [ITEMS]: items,
    get events() {
      return (events ||= envelopes(items));
    },
  };
};

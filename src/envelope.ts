// The event envelope, wire version 1 (DESIGN.md "Event envelope"): the types every part shares.
import type { EventType } from './catalog';

export const WIRE_VERSION = 1;

export interface PageContext {
  url: string;
  path: string;
  title: string;
  referrer: string;
}

/** Campaign parameters and ad click ids seen on landing, kept for the session. */
export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  content?: string;
  term?: string;
  id?: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  fbclid?: string;
  msclkid?: string;
  ttclid?: string;
  twclid?: string;
  li_fat_id?: string;
  dclid?: string;
}

export interface EventContext {
  page: PageContext;
  utm?: Utm;
  locale?: string;
  library: { name: 'shoptrail'; version: string };
}

export interface Envelope<T extends string = EventType, B = Record<string, unknown>> {
  /** Random UUID: the idempotency key from the browser to the collector's storage. */
  id: string;
  type: T;
  v: typeof WIRE_VERSION;
  entity: string;
  anonymousId: string;
  customerId?: string;
  sessionId: string;
  createdAt: string;
  context: EventContext;
  body: B;
}

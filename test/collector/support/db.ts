// A storage of the engine under test, filled event by event as the collector's ingest would
// (profiles follow identify and sign-ups): the profile, log, export and report modules are
// tested without the HTTP server.
import { catalog, type Envelope, type EventType, type Utm } from '../../../src/schema';
import type { Storage } from '../../../src/collector/storage/types';
import { freshStorage } from './engine';

/** An empty, migrated storage of this run's engine. */
export const memoryDb = (): Storage => freshStorage();

let n = 0;

export interface EventSpec {
  type: EventType;
  body?: Record<string, unknown>;
  entity?: string;
  anonymousId?: string;
  customerId?: string;
  at: string;
  utm?: Utm;
}

/** Store one event as the collector would, in a batch of its own. */
export const store = async (db: Storage, spec: EventSpec): Promise<Envelope> => {
  const event: Envelope = {
    id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    type: spec.type,
    v: 1,
    entity: spec.entity ?? 'acme',
    anonymousId: spec.anonymousId ?? 'anon-1',
    ...(spec.customerId ? { customerId: spec.customerId } : {}),
    sessionId: 'session-1',
    createdAt: new Date(spec.at).toISOString(),
    context: {
      page: { url: 'https://shop.example/', path: '/', title: 'Shop', referrer: '' },
      ...(spec.utm ? { utm: spec.utm } : {}),
      library: { name: 'shoptrail', version: 'test' },
    },
    body: spec.body ?? {},
  };
  await db.insertBatch({
    entity: event.entity,
    receivedAt: new Date().toISOString(),
    day: event.createdAt.slice(0, 10),
    events: [{ envelope: event, json: JSON.stringify(event), billable: catalog[spec.type].billable }],
    usageFrom: '',
    usageTo: '',
  });
  return event;
};

/** A lifecycle custom event. */
export const lifecycle = (name: string, properties: Record<string, unknown>, spec: Omit<EventSpec, 'type' | 'body'>): EventSpec => ({
  ...spec,
  type: 'custom-event',
  body: { name, properties },
});

/** Every item of an async generator. */
export const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

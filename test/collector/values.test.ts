// Values the schema lets through but the collector must refuse or fix (issue 18): numbers JSON
// cannot keep (1e999 parses as Infinity) and createdAt times far from the collector's clock.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { ADMIN_KEY, batch, event, post, read, testCollector } from './support/app';

let collector: Collector;
afterEach(() => collector?.close());

const NOW = Date.UTC(2026, 10, 22, 10, 0, 0);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

type Reply = { accepted: number; rejected: { id: string; error: string }[] };
const send = async (body: unknown) => (await (await post(collector, body)).json()) as Reply;
const stored = async () => ((await (await read(collector, '/v1/events', ADMIN_KEY)).json()) as { events: Array<Record<string, unknown>> }).events;

describe('values the collector refuses', () => {
  it('refuses alone an event holding a number that is not finite (1e999), instead of storing null', async () => {
    collector = testCollector();
    const bad = event('custom-event', { name: 'huge', properties: { price: 'HUGE' } });
    const good = event();
    const body = JSON.stringify(batch([bad, good])).replace('"HUGE"', '1e999');
    const reply = await send(body);
    expect(reply.accepted).toBe(1);
    expect(reply.rejected).toEqual([{ id: bad.id, error: 'invalid-envelope: a number is out of range (not finite)' }]);
    expect((await stored()).map((e) => e.id)).toEqual([good.id]);
  });

  it('bounds createdAt to 30 days back and 1 day ahead of its clock; years 0000 and 9999 are refused', async () => {
    collector = testCollector({ now: () => NOW });
    const sentAt = iso(NOW);
    const kept = [event(undefined, undefined, { createdAt: iso(NOW - 29 * DAY) }), event(undefined, undefined, { createdAt: iso(NOW + DAY - 1000) })];
    const refused = [
      event(undefined, undefined, { createdAt: '0000-01-01T00:00:00.000Z' }),
      event(undefined, undefined, { createdAt: '9999-12-31T23:59:59.999Z' }),
      event(undefined, undefined, { createdAt: iso(NOW - 31 * DAY) }),
      event(undefined, undefined, { createdAt: iso(NOW + 2 * DAY) }),
    ];
    const reply = await send({ ...batch([...kept, ...refused]), sentAt });
    expect(reply.accepted).toBe(2);
    expect(reply.rejected.map((r) => r.id)).toEqual(refused.map((e) => e.id));
    for (const r of reply.rejected) expect(r.error).toMatch(/^invalid-envelope: createdAt .* over 30 days before or 1 day after/);
  });

  it("corrects the createdAt of a browser whose clock is wrong by the gap its sentAt shows, keeping the browser's own", async () => {
    collector = testCollector({ now: () => NOW });
    const skew = -3 * 365 * DAY; // the browser thinks it is three years earlier
    const e = event(undefined, undefined, { createdAt: iso(NOW + skew - 60_000) });
    const reply = await send({ ...batch([e]), sentAt: iso(NOW + skew) });
    expect(reply).toMatchObject({ accepted: 1, rejected: [] });
    const [row] = await stored();
    expect(row).toMatchObject({ id: e.id, createdAt: iso(NOW - 60_000), clientCreatedAt: e.createdAt });
    // Not when the clock is wrong to a year no clock shows.
    const absurd = event(undefined, undefined, { createdAt: '9999-01-01T00:00:00.000Z' });
    expect((await send({ ...batch([absurd]), sentAt: '9999-01-01T00:01:00.000Z' })).rejected).toHaveLength(1);
  });
});

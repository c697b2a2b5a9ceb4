// Usage: accepted billable events, deduplicated, per entity and billing cycle, with the forecast.
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../src/collector/app';
import { dayIn } from '../../src/collector/usage';
import { batch, event, OTHER_KEY, post, read, testCollector, testConfig, vitals } from './support/app';

let collector: Collector;
afterEach(() => collector?.close());

type Usage = {
  usage: {
    used: number;
    allowance: number;
    percent: number;
    projected: number;
    exhaustsOn: string | null;
    daysLeft: number;
    cycleStart: string;
    cycleEnd: string;
    byDay: { day: string; used: number }[];
  };
};

const usage = async (c: Collector) => ((await (await read(c, '/v1/usage')).json()) as Usage).usage;

describe('usage', () => {
  it('counts accepted billable events once, not free, rejected, duplicate or other entities', async () => {
    let now = Date.parse('2026-11-11T12:00:00Z');
    collector = testCollector({ now: () => now });
    const paid = [event(), event('search', { query: 'linen' })];
    await post(collector, batch([...paid, vitals(), event('search', { query: 7 })]));
    await post(collector, batch(paid)); // a retry
    await post(collector, batch([event('web-page-visited', undefined, { entity: 'other' })], OTHER_KEY));
    now += 86_400_000;
    const reply = await (await post(collector, batch([event()]))).json();
    expect(reply).toMatchObject({ usage: { used: 3, allowance: 100, cycleStart: '2026-11-01T00:00:00.000Z', cycleEnd: '2026-12-01T00:00:00.000Z' } });
    expect(Object.keys((reply as { usage: object }).usage).sort()).toEqual(['allowance', 'cycleEnd', 'cycleStart', 'exhaustsOn', 'projected', 'used']);
    const full = await usage(collector);
    expect(full).toMatchObject({ used: 3, allowance: 100, percent: 3 });
    expect(full.byDay).toEqual([
      { day: '2026-11-11', used: 2 },
      { day: '2026-11-12', used: 1 },
    ]);
  });

  it('forecasts the end of the cycle and the day the allowance runs out', async () => {
    // 10 days into November, 50 of 100 used: 5 a day, 150 by the end, out ten days later.
    const now = Date.parse('2026-11-11T00:00:00Z');
    collector = testCollector({ now: () => now });
    for (let i = 0; i < 5; i++) await post(collector, batch(Array.from({ length: 10 }, () => event())));
    const full = await usage(collector);
    expect(full).toMatchObject({ used: 50, percent: 50, projected: 150, exhaustsOn: '2026-11-21', daysLeft: 20 });
  });

  it('starts a new count with a new cycle, on the configured day', async () => {
    const config = testConfig();
    config.entities[0]!.cycleStartDay = 15;
    let now = Date.parse('2026-11-14T23:00:00Z');
    collector = testCollector({ config, now: () => now });
    await post(collector, batch([event(), event()]));
    expect(await usage(collector)).toMatchObject({ used: 2, cycleStart: '2026-10-15T00:00:00.000Z', cycleEnd: '2026-11-15T00:00:00.000Z' });
    now = Date.parse('2026-11-15T01:00:00Z');
    await post(collector, batch([event()]));
    expect(await usage(collector)).toMatchObject({ used: 1, cycleStart: '2026-11-15T00:00:00.000Z', byDay: [{ day: '2026-11-15', used: 1 }] });
  });

  it('counts days in the entity time zone', () => {
    expect(dayIn(Date.parse('2026-11-14T23:30:00Z'), 'Europe/Paris')).toBe('2026-11-15');
    expect(dayIn(Date.parse('2026-11-14T23:30:00Z'), 'UTC')).toBe('2026-11-14');
  });
});

import { describe, expect, it } from 'vitest';
import { cycleAt, dayKey, forecast } from '../../src/cycle';

const iso = (c: { start: Date; end: Date }) => [c.start.toISOString(), c.end.toISOString()];

describe('cycleAt', () => {
  it('defaults to calendar months in UTC, end exclusive', () => {
    expect(iso(cycleAt(new Date('2026-11-23T10:00:00Z')))).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    // The first instant of a cycle belongs to it; the last millisecond before belongs to the one before.
    expect(iso(cycleAt(Date.parse('2026-12-01T00:00:00Z')))[0]).toBe('2026-12-01T00:00:00.000Z');
    expect(iso(cycleAt(Date.parse('2026-11-30T23:59:59.999Z')))[0]).toBe('2026-11-01T00:00:00.000Z');
  });

  it('crosses the year', () => {
    expect(iso(cycleAt(new Date('2027-01-03T00:00:00Z'), 15))).toEqual(['2026-12-15T00:00:00.000Z', '2027-01-15T00:00:00.000Z']);
    expect(iso(cycleAt(new Date('2026-12-20T00:00:00Z'), 15))).toEqual(['2026-12-15T00:00:00.000Z', '2027-01-15T00:00:00.000Z']);
  });

  it('clamps a start day of 31 to short months', () => {
    // February 2027 has 28 days: the cycle starting on the 31st of January ends on Feb 28.
    expect(iso(cycleAt(new Date('2027-02-10T00:00:00Z'), 31))).toEqual(['2027-01-31T00:00:00.000Z', '2027-02-28T00:00:00.000Z']);
    expect(iso(cycleAt(new Date('2027-02-28T12:00:00Z'), 31))).toEqual(['2027-02-28T00:00:00.000Z', '2027-03-31T00:00:00.000Z']);
    expect(iso(cycleAt(new Date('2027-04-30T12:00:00Z'), 31))).toEqual(['2027-04-30T00:00:00.000Z', '2027-05-31T00:00:00.000Z']);
    expect(iso(cycleAt(new Date('2027-04-29T12:00:00Z'), 31))).toEqual(['2027-03-31T00:00:00.000Z', '2027-04-30T00:00:00.000Z']);
  });

  it('knows leap years', () => {
    expect(iso(cycleAt(new Date('2028-02-29T08:00:00Z'), 30))).toEqual(['2028-02-29T00:00:00.000Z', '2028-03-30T00:00:00.000Z']);
    expect(iso(cycleAt(new Date('2028-02-28T08:00:00Z'), 31))).toEqual(['2028-01-31T00:00:00.000Z', '2028-02-29T00:00:00.000Z']);
    expect(iso(cycleAt(new Date('2028-03-01T08:00:00Z'), 29))).toEqual(['2028-02-29T00:00:00.000Z', '2028-03-29T00:00:00.000Z']);
    expect(iso(cycleAt(new Date('2027-03-01T08:00:00Z'), 29))).toEqual(['2027-02-28T00:00:00.000Z', '2027-03-29T00:00:00.000Z']);
  });

  it('clamps a start day out of range', () => {
    expect(iso(cycleAt(new Date('2026-11-23T00:00:00Z'), 0))[0]).toBe('2026-11-01T00:00:00.000Z');
    expect(iso(cycleAt(new Date('2026-11-30T00:00:00Z'), 99))[0]).toBe('2026-11-30T00:00:00.000Z');
  });

  it('starts at local midnight in a time zone, across a DST change', () => {
    // Paris is UTC+1 in November, UTC+2 from the last Sunday of March.
    expect(iso(cycleAt(new Date('2026-11-23T10:00:00Z'), 1, 'Europe/Paris'))).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z']);
    expect(iso(cycleAt(new Date('2027-03-15T10:00:00Z'), 1, 'Europe/Paris'))).toEqual(['2027-02-28T23:00:00.000Z', '2027-03-31T22:00:00.000Z']);
    // 23:30 UTC on Nov 30 is already December 1st in Paris.
    expect(iso(cycleAt(new Date('2026-11-30T23:30:00Z'), 1, 'Europe/Paris'))[0]).toBe('2026-11-30T23:00:00.000Z');
    // West of UTC: 03:00 UTC on Dec 1 is still November in New York.
    expect(iso(cycleAt(new Date('2026-12-01T03:00:00Z'), 1, 'America/New_York'))).toEqual(['2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z']);
  });

  it('counts in UTC when the zone is unknown', () => {
    expect(iso(cycleAt(new Date('2026-11-23T10:00:00Z'), 1, 'Mars/Olympus'))[0]).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('dayKey', () => {
  it('is the local day', () => {
    expect(dayKey(new Date('2026-11-30T23:30:00Z'))).toBe('2026-11-30');
    expect(dayKey(new Date('2026-11-30T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-12-01');
  });
});

describe('forecast', () => {
  const nov = cycleAt(new Date('2026-11-01T00:00:00Z')); // 30 days

  it('projects from the average daily rate so far', () => {
    // 10 days in, 1,000 used: 100 a day, 3,000 by the end of the month.
    const f = forecast({ used: 1000, allowance: 5000, ...nov, now: new Date('2026-11-11T00:00:00Z') });
    expect(f).toEqual({ percent: 20, projected: 3000, exhaustsOn: null, daysLeft: 20 });
  });

  it('gives the day the allowance runs out when the projection exceeds it', () => {
    // 10 days, 2,000 used: 200 a day, 6,000 projected; the remaining 2,000 last 10 more days.
    const f = forecast({ used: 2000, allowance: 4000, ...nov, now: new Date('2026-11-11T00:00:00Z') });
    expect(f).toEqual({ percent: 50, projected: 6000, exhaustsOn: '2026-11-21', daysLeft: 20 });
  });

  it('has nothing to project before the first event', () => {
    expect(forecast({ used: 0, allowance: 1000, ...nov, now: new Date('2026-11-01T00:00:00Z') })).toEqual({
      percent: 0,
      projected: 0,
      exhaustsOn: null,
      daysLeft: 30,
    });
  });

  it('does not extrapolate the first hours of a cycle as a whole day rate times 24', () => {
    // 50 events in the first hour count as 50 for the first day, not 1,200.
    const f = forecast({ used: 50, allowance: 10_000, ...nov, now: new Date('2026-11-01T01:00:00Z') });
    expect(f.projected).toBe(1500);
  });

  it('reports an allowance already exceeded: the day it was exceeded when daily use is known, else today', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const today = forecast({ used: 1200, allowance: 1000, ...nov, now });
    expect(today.percent).toBe(120);
    expect(today.exhaustsOn).toBe('2026-11-20');
    const byDay = [
      { day: '2026-11-03', used: 600 },
      { day: '2026-11-01', used: 300 },
      { day: '2026-11-05', used: 300 },
    ];
    expect(forecast({ used: 1200, allowance: 1000, ...nov, now, byDay }).exhaustsOn).toBe('2026-11-05');
    expect(forecast({ used: 1000, allowance: 1000, ...nov, now }).exhaustsOn).toBe('2026-11-20');
  });

  it('names the run-out day in the given time zone', () => {
    const f = forecast({ used: 2000, allowance: 4000, ...nov, now: new Date('2026-11-11T00:00:00Z'), timeZone: 'Pacific/Honolulu' });
    expect(f.exhaustsOn).toBe('2026-11-20');
  });

  it('counts days left in a leap February', () => {
    const feb = cycleAt(new Date('2028-02-10T00:00:00Z'));
    expect(forecast({ used: 290, allowance: 1000, ...feb, now: new Date('2028-02-11T00:00:00Z') })).toEqual({
      percent: 29,
      projected: 841,
      exhaustsOn: null,
      daysLeft: 19,
    });
  });
});

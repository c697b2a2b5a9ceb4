import { describe, expect, it } from 'vitest';
import {
  accountLines,
  batchSummary,
  bodyText,
  formatBytes,
  formatDelay,
  formatTime,
  ledgerRows,
  statusCounts,
} from '../../../../demo/storefront/client/inspector/format';
import type { BatchRow, EventRow } from '../../../../demo/storefront/client/inspector/state';

describe('inspector formatting', () => {
  it('formats bytes, delays and times', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatDelay(250)).toBe('250 ms');
    expect(formatDelay(2500)).toBe('2.5 s');
    expect(formatDelay(90_000)).toBe('1 min 30 s');
    expect(formatTime(new Date(2026, 10, 23, 9, 5, 7, 42).getTime())).toBe('09:05:07.042');
  });

  it('summarises a batch: status, outcome, count, sizes, transport and retry', () => {
    const base: BatchRow = {
      at: 0,
      batchId: 'b',
      ids: ['a', 'b'],
      bytes: 2048,
      wireBytes: 700,
      encoding: 'gzip',
      transport: 'fetch',
      status: 200,
      outcome: 'acked',
    };
    expect(batchSummary(base)).toBe('HTTP 200 · acked · 2 events · 2.0 KB → 700 B gzip · fetch');
    expect(batchSummary({ ...base, ids: ['a'], status: 0, outcome: 'retry', retryInMs: 4000, encoding: 'identity', wireBytes: 2048 })).toBe(
      'network error · retry · 1 event · 2.0 KB → 2.0 KB identity · fetch · retry in 4.0 s',
    );
    expect(batchSummary({ ...base, status: 0, outcome: 'handed-off', transport: 'beacon' })).toContain('no answer (beacon)');
  });

  it('shows bodies as JSON, cut short when huge, and survives cycles', () => {
    expect(bodyText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(bodyText({ s: 'x'.repeat(100) }, 20)).toBe('{\n  "s": "xxxxxxxxxx… (93 more characters)');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(bodyText(cyclic)).toBe('[object Object]');
    expect(bodyText(undefined)).toBe('undefined');
  });

  it('counts events by status', () => {
    const row = (status: EventRow['status']) => ({ status }) as EventRow;
    expect(statusCounts([row('acked'), row('acked'), row('dropped')])).toEqual({ queued: 0, sent: 0, retrying: 0, acked: 2, rejected: 0, dropped: 1 });
  });

  it('describes the account and its forecast when the collector reports one', () => {
    expect(accountLines(undefined)).toEqual([]);
    expect(
      accountLines({
        used: 250,
        allowance: 1000,
        cycleStart: '2026-11-01T00:00:00.000Z',
        cycleEnd: '2026-12-01T00:00:00.000Z',
        projected: 1200.4,
        exhaustsOn: '2026-11-27',
        daysLeft: 8,
      }),
    ).toEqual([
      '250 of 1000 activities (25.0%)',
      'cycle 2026-11-01 → 2026-12-01',
      'projected at cycle end: 1200',
      'allowance runs out on 2026-11-27',
      '8 days left in the cycle',
    ]);
  });

  it('lists the local ledger: activities, drops by reason, by type and by day; nothing without a ledger', () => {
    expect(ledgerRows({ queue: { size: 0, storage: 'indexeddb' }, account: null })).toEqual([]);
    const rows = ledgerRows({
      cycle: { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
      activities: { pending: 1, accepted: 5, rejected: 0, dropped: 2 },
      drops: { duplicate: 1, 'rate-limit': 1 },
      byType: { 'product-visited': { pending: 1, accepted: 3, rejected: 0, dropped: 0 } },
      byDay: { '2026-11-23': { pending: 1, accepted: 5, rejected: 0, dropped: 2 } },
    });
    expect(rows).toEqual([
      ['cycle', '2026-11-01 → 2026-12-01'],
      ['activities pending', '1'],
      ['activities accepted', '5'],
      ['activities rejected', '0'],
      ['activities dropped', '2'],
      ['dropped: duplicate', '1'],
      ['dropped: rate-limit', '1'],
      ['type product-visited', 'pending 1, accepted 3'],
      ['day 2026-11-23', 'pending 1, accepted 5, dropped 2'],
    ]);
  });
});

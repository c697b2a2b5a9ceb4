import { describe, expect, it } from 'vitest';
import {
  MAX_EVENTS,
  initialState,
  reduce,
  type Action,
  type BatchLike,
  type EnvelopeLike,
  type InspectorState,
} from '../../../../demo/storefront/client/inspector/state';

const envelope = (id: string, type = 'product-visited', body: unknown = { productId: 'p1' }): EnvelopeLike => ({
  id,
  type,
  body,
  createdAt: '2026-11-23T10:00:00.000Z',
});
const batch = (ids: string[], fields: Partial<BatchLike> = {}): BatchLike => ({
  batchId: 'b1',
  ids,
  bytes: 900,
  wireBytes: 400,
  encoding: 'gzip',
  transport: 'fetch',
  status: 200,
  outcome: 'acked',
  ...fields,
});
const run = (...actions: Action[]): InspectorState => actions.reduce(reduce, initialState());
const statusOf = (state: InspectorState, id: string) => state.events.find((e) => e.id === id)?.status;

describe('inspector state', () => {
  it('follows an event from queued to sent to acknowledged, keeping the history', () => {
    const state = run(
      { kind: 'queued', at: 1, event: envelope('a') },
      { kind: 'batch', at: 2, report: batch(['a']) },
      { kind: 'acked', at: 3, events: [envelope('a')] },
    );
    expect(state.events).toHaveLength(1);
    expect(state.events[0]).toMatchObject({ id: 'a', type: 'product-visited', status: 'acked', earlier: false });
    expect(state.events[0]!.history.map((h) => [h.status, h.at])).toEqual([
      ['queued', 1],
      ['sent', 2],
      ['acked', 3],
    ]);
    expect(state.batches[0]).toMatchObject({ batchId: 'b1', status: 200, at: 2 });
  });

  it('marks retries with the HTTP status and delay, then acknowledges on the next try', () => {
    let state = run(
      { kind: 'queued', at: 1, event: envelope('a') },
      { kind: 'batch', at: 2, report: batch(['a'], { status: 503, outcome: 'retry', retryInMs: 2000 }) },
    );
    expect(state.events[0]).toMatchObject({ status: 'retrying', reason: 'HTTP 503; retry in 2 s' });
    state = reduce(state, { kind: 'acked', at: 5, events: [envelope('a')] });
    expect(state.events[0]).toMatchObject({ status: 'acked', reason: undefined });
  });

  it('records rejections and drops with their reasons, and never goes back from them', () => {
    const state = run(
      { kind: 'queued', at: 1, event: envelope('a') },
      { kind: 'queued', at: 1, event: envelope('b') },
      { kind: 'rejected', at: 2, event: envelope('a'), error: 'body.productId: required' },
      { kind: 'dropped', at: 2, reason: 'consent-denied', events: [envelope('b')] },
      { kind: 'batch', at: 3, report: batch(['a', 'b']) },
      { kind: 'acked', at: 3, events: [envelope('b')] },
    );
    expect(state.events.find((e) => e.id === 'a')).toMatchObject({ status: 'rejected', reason: 'body.productId: required' });
    expect(state.events.find((e) => e.id === 'b')).toMatchObject({ status: 'dropped', reason: 'consent-denied' });
  });

  it('shows events delivered for an earlier page, but makes no row from a bare batch id', () => {
    let state = run({ kind: 'batch', at: 1, report: batch(['old']) });
    expect(state.events).toEqual([]);
    state = reduce(state, { kind: 'acked', at: 2, events: [envelope('old', 'web-page-visited')] });
    expect(state.events[0]).toMatchObject({ id: 'old', type: 'web-page-visited', status: 'acked', earlier: true });
  });

  it('keeps the newest events first and at most MAX_EVENTS of them', () => {
    const actions: Action[] = Array.from({ length: MAX_EVENTS + 5 }, (_, i) => ({ kind: 'queued', at: i, event: envelope(`e${i}`) }));
    const state = run(...actions);
    expect(state.events).toHaveLength(MAX_EVENTS);
    expect(state.events[0]!.id).toBe(`e${MAX_EVENTS + 4}`);
  });

  it('keeps queue, consent, account and the usage report; clear empties only the lists', () => {
    const report = { queue: { size: 4, storage: 'memory' }, account: { used: 7, allowance: 100 }, activities: { pending: 4, accepted: 7, rejected: 0, dropped: 1 } };
    let state = run(
      { kind: 'queue', at: 1, size: 2, storage: 'indexeddb' },
      { kind: 'consent', at: 1, state: 'granted' },
      { kind: 'usage', at: 1, account: { used: 5, allowance: 100 } },
      { kind: 'warning', at: 1, code: 'deprecated', message: 'banner-link-clicked is disused' },
      { kind: 'queued', at: 1, event: envelope('a') },
    );
    expect(state).toMatchObject({ queue: { size: 2, storage: 'indexeddb' }, consent: 'granted', account: { used: 5 } });
    expect(state.log[0]).toMatchObject({ level: 'warning', code: 'deprecated' });
    state = reduce(state, { kind: 'report', at: 2, report });
    expect(state).toMatchObject({ queue: { size: 4, storage: 'memory' }, account: { used: 7 }, report });
    state = reduce(state, { kind: 'clear' });
    expect(state.events).toEqual([]);
    expect(state.log).toEqual([]);
    expect(state.batches).toEqual([]);
    expect(state.consent).toBe('granted');
  });

  it('does not trust payload shapes: missing ids and non-string reasons are tolerated', () => {
    const state = run(
      { kind: 'queued', at: 1, event: { type: 'x' } as EnvelopeLike },
      { kind: 'dropped', at: 1, reason: 42 as unknown as string, events: [envelope('z')] },
      { kind: 'batch', at: 1, report: { ...batch([]), ids: undefined as unknown as string[] } },
    );
    expect(state.events.map((e) => [e.id, e.status, e.reason])).toEqual([['z', 'dropped', 'dropped']]);
    expect(statusOf(state, 'z')).toBe('dropped');
  });
});

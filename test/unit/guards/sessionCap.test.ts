import { describe, expect, it } from 'vitest';
import { lookup } from '../../../src/catalog';
import { sessionCap } from '../../../src/guards/sessionCap';
import { makeEvent } from '../support/events';

const check = (guard: ReturnType<typeof sessionCap>, type: string, sessionId = 'session-1') => guard({ ...makeEvent(type), sessionId }, lookup(type)!);

describe('session-cap guard', () => {
  it('passes the cap of billable non-essential events per session, then drops', () => {
    const guard = sessionCap(3);
    expect([1, 2, 3, 4].map(() => check(guard, 'web-page-visited'))).toEqual([undefined, undefined, undefined, 'session-cap']);
    expect(check(guard, 'purchase')).toBeUndefined(); // essential
    expect(check(guard, 'web-vitals')).toBeUndefined(); // free
  });

  it('starts again with a new session', () => {
    const guard = sessionCap(1);
    expect(check(guard, 'search')).toBeUndefined();
    expect(check(guard, 'search')).toBe('session-cap');
    expect(check(guard, 'search', 'session-2')).toBeUndefined();
  });

  it('continues the count a page kept for the same session', () => {
    const count = { s: 'session-1', n: 499 };
    const guard = sessionCap(500, count);
    expect(check(guard, 'search')).toBeUndefined();
    expect(check(guard, 'search')).toBe('session-cap');
    expect(count).toEqual({ s: 'session-1', n: 500 });
  });

  it('defaults to 500', () => {
    const guard = sessionCap();
    let ok = 0;
    for (let i = 0; i < 600; i++) if (!check(guard, 'web-link-clicked')) ok++;
    expect(ok).toBe(500);
  });
});

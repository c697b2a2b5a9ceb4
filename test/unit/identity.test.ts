import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdentity } from '../../src/identity';

const MINUTE = 60_000;
const make = (utm?: Record<string, string>, mayPersist = () => true) => createIdentity('t', 30 * MINUTE, utm, mayPersist);

afterEach(() => vi.useRealTimers());

describe('identity', () => {
  it('creates an anonymous id once and keeps it across pages', () => {
    const first = make();
    expect(first.isNew).toBe(true);
    first.save();
    const second = make();
    expect(second.isNew).toBe(false);
    expect(second.anonymousId).toBe(first.anonymousId);
  });

  it('keeps the session while active and rolls it after 30 minutes of inactivity', () => {
    vi.useFakeTimers();
    const identity = make();
    const t0 = Date.now();
    const s1 = identity.session(t0);
    expect(identity.session(t0 + 29 * MINUTE)).toBe(s1);
    expect(identity.session(t0 + 58 * MINUTE)).toBe(s1); // activity at 29 kept it alive
    const s2 = identity.session(t0 + 89 * MINUTE);
    expect(s2).not.toBe(s1);
  });

  it('shares a session another tab kept alive', () => {
    vi.useFakeTimers();
    const t0 = Date.now();
    const a = make();
    const b = make();
    a.save();
    const shared = a.session(t0);
    // Tab A stays active and saves; tab B is idle for 40 minutes, then acts.
    a.session(t0 + 20 * MINUTE);
    expect(a.session(t0 + 35 * MINUTE)).toBe(shared);
    a.save();
    const fromB = b.session(t0 + 40 * MINUTE);
    expect(fromB).toBe(shared);
  });

  it('keeps landing campaign parameters for the session only', () => {
    vi.useFakeTimers();
    const landing = make({ source: 'news', campaign: 'autumn' });
    landing.session(Date.now());
    landing.save();
    const nextPage = make();
    expect(nextPage.utm).toEqual({ source: 'news', campaign: 'autumn' });
    nextPage.session(Date.now() + 31 * MINUTE);
    expect(nextPage.utm).toBeUndefined();
  });

  it('writes nothing while persistence is not allowed', () => {
    const identity = make(undefined, () => false);
    identity.identifyChanges('c-1', 'a');
    identity.save();
    expect(localStorage.length).toBe(0);
  });

  it('records identify fingerprints so a repeat is not news', () => {
    const identity = make();
    expect(identity.identifyChanges('c-1', 'a')).toBe(true);
    expect(identity.identifyChanges('c-1', 'a')).toBe(false);
    expect(make().identifyChanges('c-1', 'a')).toBe(false); // saved at once for other tabs
    expect(identity.identifyChanges('c-1', 'b')).toBe(true);
  });

  it('survives broken storage', () => {
    localStorage.setItem('t.ids', '{not json');
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const identity = make();
    expect(identity.isNew).toBe(true);
    expect(() => identity.save()).not.toThrow();
    vi.restoreAllMocks();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { withLock } from '../../../src/lib/lock';

afterEach(() => vi.unstubAllGlobals());

describe('withLock', () => {
  it('without Web Locks runs at once', async () => {
    vi.stubGlobal('navigator', { ...navigator, locks: undefined });
    expect(await withLock('l', false, async () => 7)).toBe(7);
  });

  it('with Web Locks: waits for the lock, or skips (undefined) when another holder has it and `wait` is false', async () => {
    const held = new Set<string>();
    const request = vi.fn(async (name: string, options: { ifAvailable: boolean }, fn: (lock: object | null) => Promise<unknown>) => {
      if (held.has(name) && options.ifAvailable) return fn(null);
      held.add(name);
      try {
        return await fn({});
      } finally {
        held.delete(name);
      }
    });
    vi.stubGlobal('navigator', { ...navigator, locks: { request } });
    let release = () => {};
    const first = withLock('flush', true, () => new Promise<string>((resolve) => (release = () => resolve('first'))));
    expect(await withLock('flush', false, async () => 'second')).toBeUndefined();
    release();
    expect(await first).toBe('first');
    expect(request.mock.calls.map(([, options]) => options)).toEqual([{ ifAvailable: false }, { ifAvailable: true }]);
  });
});

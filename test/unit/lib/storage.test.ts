import { afterEach, describe, expect, it, vi } from 'vitest';
import { keysStartingWith, readJson, removeKey, writeJson } from '../../../src/lib/storage';

afterEach(() => vi.unstubAllGlobals());

describe('storage', () => {
  it('writes, reads and removes JSON values, and lists keys by prefix', () => {
    expect(writeJson('t.a', { n: 1 })).toBe(true);
    writeJson('t.b', [1, 2]);
    writeJson('other', 'x');
    expect(readJson('t.a')).toEqual({ n: 1 });
    expect(keysStartingWith('t.').sort()).toEqual(['t.a', 't.b']);
    removeKey('t.a');
    expect(readJson('t.a')).toBeUndefined();
  });

  it('degrades to "nothing stored" when storage throws or holds garbage', () => {
    localStorage.setItem('bad', '{not json');
    expect(readJson('bad')).toBeUndefined();
    const fail = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    vi.stubGlobal('localStorage', { getItem: fail, setItem: fail, removeItem: fail, key: fail, length: 1 });
    expect(writeJson('k', 1)).toBe(false);
    expect(readJson('k')).toBeUndefined();
    expect(() => removeKey('k')).not.toThrow();
    expect(keysStartingWith('k')).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { all, later, listen } from '../../../src/lib/later';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => vi.useRealTimers());

describe('later', () => {
  it('runs in a task of its own, after the given delay, and swallows a fault', () => {
    const fn = vi.fn();
    later(fn, 50);
    later(() => {
      throw new Error('capture bug');
    });
    expect(fn).not.toHaveBeenCalled();
    expect(() => vi.advanceTimersByTime(49)).not.toThrow();
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('listen', () => {
  it('listens in the capture phase, never throws into the page, and returns its removal', () => {
    const button = document.createElement('button');
    document.body.append(button);
    const seen: string[] = [];
    const stopped = (event: Event) => event.stopPropagation(); // the page's own handler, on the target
    button.addEventListener('click', stopped);
    const off = listen(document, 'click', (event) => {
      seen.push(event.type);
      throw new Error('capture bug');
    });
    expect(() => button.click()).not.toThrow();
    expect(seen).toEqual(['click']); // capture phase: before the target's handler stops it
    off();
    button.click();
    expect(seen).toEqual(['click']);
    button.remove();
  });
});

describe('all', () => {
  it('runs every uninstall of a list', () => {
    const a = vi.fn();
    const b = vi.fn();
    all([a, b])();
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 1]);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { onHidden } from '../../../src/lib/onHidden';

const setVisibility = (state: DocumentVisibilityState) => Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });

afterEach(() => setVisibility('visible'));

describe('onHidden', () => {
  it('runs on visibilitychange to hidden and on pagehide, not on a return to visible; returns its removal', () => {
    const fn = vi.fn();
    const off = onHidden(fn);
    setVisibility('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(fn).not.toHaveBeenCalled();
    setVisibility('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('pagehide'));
    expect(fn).toHaveBeenCalledTimes(2); // both may fire for one unload: callers are idempotent
    off();
    window.dispatchEvent(new Event('pagehide'));
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { createEmitter } from '../../../src/lib/emitter';

type Events = { ping: number; pong: string };

describe('createEmitter', () => {
  it('calls listeners in order, and on() returns the removal', () => {
    const emitter = createEmitter<Events>();
    const seen: string[] = [];
    const off = emitter.on('ping', (n) => seen.push(`a${n}`));
    emitter.on('ping', (n) => seen.push(`b${n}`));
    emitter.emit('ping', 1);
    off();
    emitter.emit('ping', 2);
    emitter.emit('pong', 'ignored');
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('isolates a listener that throws and reports it', () => {
    const onError = vi.fn();
    const emitter = createEmitter<Events>(onError);
    const after = vi.fn();
    emitter.on('ping', () => {
      throw new Error('listener bug');
    });
    emitter.on('ping', after);
    expect(() => emitter.emit('ping', 1)).not.toThrow();
    expect(after).toHaveBeenCalledWith(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
  });

  it('says whether anyone listens, and off() forgets a listener', () => {
    const emitter = createEmitter<Events>();
    const fn = () => {};
    expect(emitter.has('ping')).toBe(false);
    emitter.on('ping', fn);
    expect(emitter.has('ping')).toBe(true);
    emitter.off('ping', fn);
    expect(emitter.has('ping')).toBe(false);
  });

  it('a listener added during an emit waits for the next one', () => {
    const emitter = createEmitter<Events>();
    const late = vi.fn();
    emitter.on('ping', () => emitter.on('ping', late));
    emitter.emit('ping', 1);
    expect(late).not.toHaveBeenCalled();
    emitter.emit('ping', 2);
    expect(late).toHaveBeenCalledWith(2);
  });

  it('a listener removed during an emit still hears that one; adding it twice keeps one, in its place', () => {
    const emitter = createEmitter<Events>();
    const seen: string[] = [];
    const b = (n: number) => seen.push(`b${n}`);
    emitter.on('ping', () => (seen.push('a'), emitter.off('ping', b)));
    emitter.on('ping', b);
    emitter.emit('ping', 1);
    emitter.emit('ping', 2);
    const c = (n: number) => seen.push(`c${n}`);
    emitter.on('ping', c);
    emitter.on('ping', b);
    emitter.on('ping', c);
    emitter.emit('ping', 3);
    expect(seen).toEqual(['a', 'b1', 'a', 'a', 'c3', 'b3']);
  });
});

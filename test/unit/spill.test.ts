import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../src/queue';
import { createSpill, forget, spill, takeSpilled } from '../../src/spill';

const item = (id: string, bytes = 10): QueueItem => ({ k: `k-${id}`, id, type: 'search', r: 1, json: `{"id":"${id}"}`, bytes });

describe('spill', () => {
  it('copies what is not yet durable to this tab key, and forgets what became durable', () => {
    const s = createSpill('test', 'tab1');
    s.items.set('a', item('a'));
    s.items.set('b', item('b'));
    spill(s);
    expect(JSON.parse(localStorage.getItem('test-spill-tab1')!).map((i: QueueItem) => i.id)).toEqual(['a', 'b']);
    forget(s, [item('a')]);
    expect(JSON.parse(localStorage.getItem('test-spill-tab1')!).map((i: QueueItem) => i.id)).toEqual(['b']);
    forget(s, [item('b')]);
    expect(localStorage.getItem('test-spill-tab1')).toBeNull();
  });

  it('keeps within 128 KiB of JSON: localStorage is the host site too', () => {
    const s = createSpill('test', 'tab1');
    for (let i = 0; i < 5; i++) s.items.set(String(i), item(String(i), 40 * 1024));
    spill(s);
    expect(JSON.parse(localStorage.getItem('test-spill-tab1')!)).toHaveLength(3);
  });

  it('the next page takes every tab spill once, leaving out what is not an item', () => {
    localStorage.setItem('test-spill-x', JSON.stringify([item('a'), { junk: true }, null]));
    localStorage.setItem('test-spill-y', JSON.stringify([item('b')]));
    localStorage.setItem('test-spill-z', 'not json');
    const s = createSpill('test', 'tab2');
    expect(
      takeSpilled(s)
        .map((i) => i.id)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(takeSpilled(s)).toEqual([]);
  });
});

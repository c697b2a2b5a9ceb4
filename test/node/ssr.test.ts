// Server rendering (issue 17 item 3): the built npm entry, imported and called in plain Node
// (no window, document or navigator), returns a tracker whose calls do nothing and never throw.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENTRY = join(import.meta.dirname, '..', '..', 'dist', 'shoptrail.mjs');

describe('createTracker in Node', () => {
  it('imports and creates without a DOM', async () => {
    expect(existsSync(ENTRY), 'dist/shoptrail.mjs is missing: run npm run build').toBe(true);
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const { createTracker } = await import(ENTRY);
    const tracker = createTracker({ endpoint: 'https://collect.example.com', writeKey: 'pk_test' });
    expect(tracker.track('custom-event', { name: 'rendered' })).toEqual({ ok: false, id: '', dropped: 'no-browser' });
    expect(tracker.identify('c-1', { email: 'a@example.com' }).ok).toBe(false);
    expect(tracker.page().ok).toBe(false);
    expect(() => {
      tracker.consent('granted');
      tracker.reset();
      tracker.off('error', () => {});
      tracker.on('error', () => {})();
      tracker.shutdown();
    }).not.toThrow();
    await expect(tracker.flush()).resolves.toEqual({ delivered: 0, remaining: 0 });
    await expect(tracker.usage()).resolves.toMatchObject({ queue: { size: 0 }, account: null });
  });
});

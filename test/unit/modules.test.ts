import { afterEach, describe, expect, it, vi } from 'vitest';
import { optionsFromAttributes } from '../../src/config';
import { capture } from '../../src/modules';
import { at, fakeCore, tasks } from './support/core';

describe('capture switches', () => {
  const uninstalls: Array<() => void> = [];
  afterEach(() => uninstalls.splice(0).forEach((fn) => fn()));
  const run = (options: Record<string, unknown>) => {
    const fake = fakeCore(options);
    const uninstall = capture(fake.core); // accounting has its own tests (ledger.test.ts)
    if (uninstall) uninstalls.push(uninstall);
    return fake;
  };

  it('installs every kind by default (page visits at once, the others from the chunk), and none with capture: false', async () => {
    at('https://s.example/search?q=hat');
    const all = run({});
    await Promise.resolve(); // the load's visit waits for the tracker's start-up microtask
    expect(all.tracked.map((t) => t.type)).toEqual(['web-page-visited']);
    await vi.waitFor(() => expect(all.tracked.map((t) => t.type)).toEqual(['web-page-visited', 'product-searched']));
    uninstalls.splice(0).forEach((fn) => fn());
    sessionStorage.clear();
    expect(run({ capture: false }).tracked).toEqual([]);
    expect(uninstalls).toHaveLength(0);
  });

  it('switches one kind off by its option', async () => {
    at('https://s.example/search?q=cap');
    const { tracked } = run({ capturePages: false });
    await vi.waitFor(() => expect(tracked.map((t) => t.type)).toEqual(['product-searched']));
    await tasks();
    expect(tracked.map((t) => t.type)).toEqual(['product-searched']);
  });

  it('reads the switches from the script tag as booleans', () => {
    const tag = document.createElement('script');
    tag.setAttribute('data-capture-forms', 'false');
    tag.setAttribute('data-capture', 'off');
    tag.setAttribute('data-identify-by-email', '');
    expect(optionsFromAttributes(tag)).toEqual({ captureForms: false, capture: false, identifyByEmail: true });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { install } from '../../../src/capture/links';
import { at, fakeCore, tasks } from '../support/core';

describe('link clicks', () => {
  let uninstall: () => void;
  afterEach(() => uninstall?.());

  it('counts marked and outbound links, not internal ones or ignored ones', async () => {
    at('https://s.example/');
    document.body.innerHTML = `
      <a id="a" href="/size-guide" data-shoptrail-link="size-guide">Size guide</a>
      <a id="b" href="https://instagram.com/acme?email=ada@example.com">Follow us</a>
      <a id="c" href="/collections/all">All</a>
      <a id="d" href="https://partner.example/" data-shoptrail-ignore>Partner</a>
      <a id="e" href="mailto:help@s.example">Mail</a>`;
    const { core, tracked } = fakeCore();
    uninstall = install(core) as () => void;
    document.addEventListener('click', (e) => e.preventDefault(), { once: false }); // stay on this page
    for (const id of 'abcde') document.getElementById(id)!.click();
    await tasks();
    expect(tracked).toEqual([
      { type: 'web-link-clicked', body: { url: 'https://s.example/size-guide', label: 'Size guide', linkId: 'size-guide', outbound: false } },
      { type: 'web-link-clicked', body: { url: 'https://instagram.com/acme', label: 'Follow us', outbound: true } },
    ]);
  });
});

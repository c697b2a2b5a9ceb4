// Marked content blocks (`data-shoptrail-content="<id>"`, with optional
// `data-shoptrail-content-type` and `-name`): `web-content-opened` once per page view when at
// least half of the block has been visible for a second, `web-content-clicked` on clicks
// inside it, with a short scrubbed label of what was clicked.
import type { Core } from '../plugin';
import { ignored } from '../lib/forms';
import { later, listen } from '../lib/later';
import { labelOf, scrub } from '../lib/scrub';
import { cleanUrl } from '../lib/url';

const SELECTOR = '[data-shoptrail-content]';

const describe = (block: Element) => {
  const data = (name: string) => scrub(block.getAttribute(`data-shoptrail-content${name}`), 100) || undefined;
  return { contentId: data('')!, contentType: data('-type'), name: data('-name') };
};

export const install = (core: Core) => {
  const opened = new Set<string>();
  const timers = new Map<Element, ReturnType<typeof setTimeout>>();
  const watched = new WeakSet<Element>();
  const page = () => location.href.replace(/#.*/, '');

  const io =
    typeof IntersectionObserver == 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const { target, isIntersecting, intersectionRatio } of entries) {
              clearTimeout(timers.get(target));
              if (isIntersecting && intersectionRatio >= 0.5) {
                timers.set(
                  target,
                  setTimeout(() => {
                    const body = describe(target);
                    const key = `${body.contentId} ${page()}`;
                    if (!body.contentId || opened.has(key) || !target.isConnected) return;
                    opened.add(key);
                    core.track('web-content-opened', body);
                  }, 1000),
                );
              }
            }
          },
          { threshold: 0.5 },
        )
      : undefined;

  // Blocks rendered later (carousels, recommendations) are found in the task after a change.
  let scanning = false;
  const scan = () => {
    scanning = false;
    document.querySelectorAll(SELECTOR).forEach((block) => {
      if (!watched.has(block) && !ignored(block)) {
        watched.add(block);
        io?.observe(block);
      }
    });
  };
  scan();
  const mo = new MutationObserver(() => scanning || ((scanning = true), later(scan)));
  mo.observe(document.documentElement, { childList: true, subtree: true });

  const onClick = (event: Event) => {
    const target = event.target as Element;
    const block = target.closest?.(SELECTOR);
    if (!block || ignored(target)) return;
    const clicked = target.closest('a,button,[role=button]') ?? target;
    const href = clicked.getAttribute('href');
    later(() =>
      core.track('web-content-clicked', {
        ...describe(block),
        label: labelOf(clicked) || undefined,
        url: href ? cleanUrl(new URL(href, location.href).href) : undefined,
      }),
    );
  };
  const unlisten = listen(document, 'click', onClick);
  return () => {
    unlisten();
    mo.disconnect();
    io?.disconnect();
    timers.forEach(clearTimeout);
  };
};

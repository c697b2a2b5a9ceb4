// Automated browsers (Selenium, Puppeteer, Playwright, headless crawlers) set navigator.webdriver:
// they are not shoppers, and every event they send would burn the store's allowance. Such a
// browser sends nothing unless the store allows it (`allowAutomation`, as the project's own
// end-to-end tests do). Decided where delivery is installed — the background chunk for the
// script tag — so the script shoppers wait for carries none of it: delivery is left out, what
// was queued before is dropped, and a guard drops what follows, each counted as `automation`.
import type { Plugin } from './plugin';
import { withEvents } from './lazyEvents';
import { read, remove } from './queue';

export const unlessAutomated =
  (delivery: Plugin): Plugin =>
  (core) => {
    if (core.config.allowAutomation || !navigator.webdriver) return delivery(core);
    // After the current script, so listeners registered right after creation hear it.
    queueMicrotask(() => core.warn('automation', 'navigator.webdriver: nothing is sent'));
    // (read and remove, which delivery's chunk carries anyway, rather than clear: bytes)
    void read(core.queue, core.config.maxQueueEvents).then(async (items) => {
      await remove(core.queue, items);
      if (items.length) core.emit('dropped', withEvents({ reason: 'automation' as const }, items));
    });
    return core.guard(() => 'automation');
  };

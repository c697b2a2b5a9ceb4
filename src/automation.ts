// Automated browsers (Selenium, Puppeteer, Playwright, headless crawlers) set navigator.webdriver:
// they are not shoppers, and every event they send would burn the store's allowance. Such a
// browser sends nothing unless the store allows it (`allowAutomation`, as the project's own
// end-to-end tests do). Decided where delivery is installed — the background chunk for the
// script tag — so the script shoppers wait for carries none of it: delivery is left out, and a
// guard drops what follows as `automation`. The few events queued before the chunk arrived are
// never sent either: with no delivery they wait in IndexedDB until they expire (maxQueueAgeHours).
import type { Plugin } from './plugin';

export const unlessAutomated =
  (delivery: Plugin): Plugin =>
  (core) => {
    if (core.config.allowAutomation || !navigator.webdriver) return delivery(core);
    // After the current script, so listeners registered right after creation hear it.
    queueMicrotask(() => core.warn('automation', 'navigator.webdriver: nothing is sent'));
    return core.guard(() => 'automation');
  };

// Work triggered by the page (a click, a push, a request) runs in a task of its own, so it
// never lengthens the page's own handlers (the web-vitals INP advice), and a fault in it
// never reaches the page.
export const later = (fn: () => void, ms = 0): void => {
  setTimeout(() => {
    try {
      fn();
    } catch {
      // a capture that fails loses one event, never the page
    }
  }, ms);
};

/** Add a passive capture-phase listener; returns its removal. */
export const listen = (target: EventTarget, type: string, fn: (event: Event) => void): (() => void) => {
  target.addEventListener(type, fn, { capture: true, passive: true });
  return () => target.removeEventListener(type, fn, true);
};

/** Run every uninstall of a list. */
export const all =
  (list: Array<() => void>) =>
  (): void =>
    list.forEach((fn) => fn());

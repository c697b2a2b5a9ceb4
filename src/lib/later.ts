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

/** Add a passive capture-phase listener that never throws into the page; returns its removal. */
export const listen = (target: EventTarget, type: string, fn: (event: Event) => void): (() => void) => {
  const safe = (event: Event) => {
    try {
      fn(event);
    } catch {
      // an odd page (a form action that is no URL …) loses one capture, nothing else
    }
  };
  target.addEventListener(type, safe, { capture: true, passive: true });
  return () => target.removeEventListener(type, safe, true);
};

/** Run every uninstall of a list. */
export const all = (list: Array<() => void>) => (): void => list.forEach((fn) => fn());

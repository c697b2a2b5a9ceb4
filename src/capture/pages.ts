// Page visits: one `web-page-visited` at load and one per SPA navigation (pushState,
// replaceState to a new URL, popstate, hash routes). Guarded by URL, the lesson from
// Amplitude's and PostHog's double counts: a same-URL pushState during hydration, or a
// popstate at load, is not a new visit.
import type { Core } from '../plugin';
import { later, listen } from '../lib/later';
import { cleanUrl } from '../lib/url';

export const install = (core: Core) => {
  const hashes = core.config.captureHash;
  const key = () => {
    const { href, hash } = location;
    // Anchors (#reviews) are the same page; hash routes (#/cart, #!/cart) are not.
    return hashes || /^#[/!]/.test(hash) ? href : href.replace(/#.*/, '');
  };
  let last = key();
  let on = true;
  let referrer = cleanUrl(document.referrer);
  // The body names the page and where the shopper came from: two visits of one URL from
  // different pages are two visits, also for the duplicate guard.
  const visit = () => {
    const url = cleanUrl(location.href);
    core.track('web-page-visited', { url, path: location.pathname, title: document.title.slice(0, 500), referrer });
    referrer = url;
  };
  // The load's own visit after the tracker's start-up announcements, which wait for a microtask.
  queueMicrotask(() => on && visit());
  // In the next task, so the app has set the new title, and a same-URL replay counts nothing.
  const check = () =>
    later(() => {
      if (on && key() != last) {
        last = key();
        visit();
      }
    });
  const h = history as any;
  const wrap = (name: 'pushState' | 'replaceState') => {
    const original = h[name];
    const wrapper = function (this: History) {
      const result = original.apply(this, arguments);
      check();
      return result;
    };
    h[name] = wrapper;
    // Someone may have wrapped ours since: then `on` keeps ours quiet.
    return () => h[name] === wrapper && (h[name] = original);
  };
  const undo = [wrap('pushState'), wrap('replaceState'), listen(window, 'popstate', check), listen(window, 'hashchange', check)];
  return () => {
    on = false;
    undo.forEach((fn) => fn());
  };
};

// The `context` of every event: the page, the campaign that brought the shopper, the locale
// and the library. Built once per page state and shared by reference, so track() pays for a
// URL check, not for a new object.
import type { EventContext, Utm } from './envelope';
import { cleanUrl } from './lib/url';

declare const __VERSION__: string;

/** utm_* parameters and the ad platforms' click ids, read from a landing URL. */
const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'twclid', 'li_fat_id', 'dclid'] as const;
const UTM_KEYS = ['source', 'medium', 'campaign', 'content', 'term', 'id'] as const;

export const readUtm = (search: string): Utm | undefined => {
  const params = new URLSearchParams(search);
  const utm: Record<string, string> = {};
  for (const key of UTM_KEYS) {
    const value = params.get(`utm_${key}`);
    if (value) utm[key] = value.slice(0, 500);
  }
  for (const key of CLICK_IDS) {
    const value = params.get(key);
    if (value) utm[key] = value.slice(0, 500);
  }
  return Object.keys(utm).length ? utm : undefined;
};

export interface ContextSource {
  /** The current context, rebuilt only when the URL or title changed. */
  current(): EventContext;
  /** Look at the URL and title again now (a navigation happened within this task). */
  refresh(): void;
  setUtm(utm: Utm | undefined): void;
}

export const createContext = (utm: Utm | undefined): ContextSource => {
  let referrer = cleanUrl(document.referrer);
  let cached: EventContext | undefined;
  let href = '';
  let title = '';
  /** Checked during this task: reading location.href costs, and a burst of events shares one look. */
  let checked = false;
  const library = { name: 'shoptrail' as const, version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0' };
  const locale = typeof navigator !== 'undefined' && navigator.language ? navigator.language.slice(0, 35) : undefined;

  const build = (): EventContext => {
    href = location.href;
    title = document.title;
    const url = cleanUrl(href);
    let path = location.pathname;
    try {
      path = new URL(url).pathname;
    } catch {
      // keep location.pathname
    }
    const context: EventContext = { page: { url, path, title: title.slice(0, 500), referrer }, library };
    if (utm) context.utm = utm;
    if (locale) context.locale = locale;
    return context;
  };

  return {
    current() {
      if (cached && checked) return cached;
      checked = true;
      queueMicrotask(() => (checked = false));
      if (cached && location.href === href && document.title === title) return cached;
      // An SPA navigation: the page we were on becomes the referrer, as a real load would have it.
      if (cached && location.href !== href) referrer = cached.page.url;
      return (cached = build());
    },
    refresh() {
      checked = false;
    },
    setUtm(next) {
      utm = next;
      cached = undefined;
    },
  };
};

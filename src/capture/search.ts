// Searches: from the results page's URL on landing, from search form submits (for searches
// that never reach a results URL, such as an app's own results), and from GA4 `search`
// events. One search shows several of these signs, on one page or across the navigation a
// submit starts, and the results URL need not be the form's action (a redirect, a localised
// route, a script that builds its own URL). So signs are matched by their query, not by URL:
// a query counted in this tab within a short while is not counted again, on whatever page.
import type { Core } from '../plugin';
import { onDataLayer } from '../lib/dataLayer';
import { formTarget, ignored, isSearchForm, searchOf, type SearchKind } from '../lib/forms';
import { all, later, listen } from '../lib/later';
import { scrub } from '../lib/scrub';

/** Long enough for a results page to load after its submit; short enough that a search repeated later counts. */
const WINDOW_MS = 30_000;

/** The search field of a form: the platforms' names first, else its first text field. */
const INPUT = 'input[type=search],input[name=q],input[name=s],input[name=search_query],input[type=text],input:not([type])';

export const install = (core: Core) => {
  const KEY = core.config.name + '.search';
  const recent = new Map<string, number>(); // this page's counts, when storage is blocked
  const norm = (query: string) => query.toLowerCase().replace(/\s+/g, ' ');
  /** Whether this query was counted in this tab within the window; remembers it if not. */
  const seen = (key: string): boolean => {
    const now = Date.now();
    let last: [string, number] | undefined;
    try {
      last = JSON.parse(sessionStorage.getItem(KEY) || 'null') ?? undefined;
      sessionStorage.setItem(KEY, JSON.stringify([key, now]));
    } catch {
      // storage blocked: this page's memory only
    }
    const at = last?.[0] == key ? last[1] : recent.get(key);
    recent.set(key, now);
    return at != null && now - at < WINDOW_MS;
  };
  const count = (kind: SearchKind, raw: string) => {
    const query = scrub(raw, 500);
    if (query && !seen(norm(query))) core.track(kind, { query });
  };

  // A reload or a step back to a results page is no new search.
  const nav = (performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined)?.type;
  const landed = searchOf(new URL(location.href));
  if (landed && nav != 'reload' && nav != 'back_forward') count(...landed);

  const onSubmit = (event: Event) => {
    const form = event.target as HTMLFormElement;
    if (!(form instanceof HTMLFormElement) || ignored(form) || !isSearchForm(form)) return;
    const found = searchOf(formTarget(form));
    const query = found?.[1] || form.querySelector<HTMLInputElement>(INPUT)?.value || '';
    later(() => count(found?.[0] ?? 'product-searched', query));
  };

  const undo = [
    listen(document, 'submit', onSubmit),
    onDataLayer((name, data) => name == 'search' && data.search_term && count('product-searched', String(data.search_term))),
  ];
  return all(undo);
};

// Searches: from the results page's URL on landing, from search form submits (for searches
// that never reach a results URL, such as an app's own results), and from GA4 `search`
// events. One search counts once: a submit remembers its query in sessionStorage so the
// results page it leads to does not count it again, and within a page a query counts once.
import type { Core } from '../plugin';
import { onDataLayer } from '../lib/dataLayer';
import { formTarget, ignored, isSearchForm, searchOf, type SearchKind } from '../lib/forms';
import { all, later, listen } from '../lib/later';
import { scrub } from '../lib/scrub';

export const install = (core: Core) => {
  const KEY = `${core.config.name}.search`;
  const counted = new Set<string>();
  const count = (kind: SearchKind, raw: string) => {
    const query = scrub(raw, 500);
    if (!query || counted.has(query.toLowerCase())) return;
    counted.add(query.toLowerCase());
    core.track(kind, { query });
  };

  const landed = searchOf(new URL(location.href));
  if (landed) {
    let submitted: string | null = null;
    try {
      submitted = sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY);
    } catch {
      // storage blocked: count the landing
    }
    if (submitted == landed[1]) counted.add(landed[1].toLowerCase());
    else count(...landed);
  }

  const onSubmit = (event: Event) => {
    const form = event.target as HTMLFormElement;
    if (!(form instanceof HTMLFormElement) || ignored(form) || !isSearchForm(form)) return;
    const target = formTarget(form);
    const found = searchOf(target);
    const input = form.querySelector<HTMLInputElement>('input[type=search],input[name=q],input[name=s],input[name=search_query]');
    const query = found?.[1] || input?.value || '';
    later(() => {
      if (!query.trim()) return;
      // A results page of ours will load next: tell it this search is counted.
      if (!event.defaultPrevented && found) {
        try {
          sessionStorage.setItem(KEY, query);
        } catch {
          // then the results page may count it too; better than losing it
        }
      }
      count(found?.[0] ?? 'product-searched', query);
    });
  };

  const undo = [
    listen(document, 'submit', onSubmit),
    onDataLayer((name, data) => name == 'search' && data.search_term && count('product-searched', String(data.search_term))),
  ];
  return all(undo);
};

// Reading forms and request bodies as parameters, and the platforms' search conventions.
// Parameters stay in the page: modules pick the few keys they need (a query, a product id).

/** Copy the string parameters of a request body (urlencoded, FormData, URLSearchParams or JSON) into `into`. */
export const paramsOf = (body: unknown, into = new URLSearchParams()): URLSearchParams => {
  try {
    if (typeof body == 'string') {
      if (!/^\s*[{[]/.test(body)) return (new URLSearchParams(body).forEach((v, k) => into.append(k, v)), into);
      body = JSON.parse(body);
    }
    if (body instanceof URLSearchParams || body instanceof FormData) {
      body.forEach((v, k) => typeof v == 'string' && into.append(k, v));
    } else if (body && typeof body == 'object') {
      const o: any = body;
      for (const k in o) if (o[k] != null && typeof o[k] != 'object') into.append(k, String(o[k]));
    }
  } catch {
    // unreadable body: nothing to learn from it
  }
  return into;
};

/** Where a form goes: its action URL with its fields added to the query. */
export const formTarget = (form: HTMLFormElement): URL => {
  const url = new URL(form.getAttribute('action') || location.href, location.href);
  paramsOf(new FormData(form), url.searchParams);
  return url;
};

export type SearchKind = 'search' | 'product-searched';

/**
 * The search a results URL shows, by the platforms' conventions: Shopify `/search?q=`,
 * Magento `/catalogsearch/result/?q=`, BigCommerce `/search.php?search_query=`, PrestaShop
 * `controller=search&s=` or `/search?s=`, a static `/search.html?q=`, WooCommerce `?s=` (a product search only with
 * `post_type=product`; otherwise WordPress's site search).
 */
export const searchOf = (url: URL): [SearchKind, string] | undefined => {
  const p = url.searchParams;
  const query = (p.get('q') || p.get('search_query') || p.get('s') || '').trim();
  if (!query) return;
  if (/\/(search|catalogsearch\/result)(\/|\.html?)?$|search\.php$/.test(url.pathname) || p.get('controller') == 'search') {
    return [/article|page|blog/.test(p.get('type') || '') ? 'search' : 'product-searched', query];
  }
  if (p.get('s')) return [p.get('post_type') == 'product' ? 'product-searched' : 'search', query];
};

/** A form the search module handles (and the forms module leaves alone). */
export const isSearchForm = (form: HTMLFormElement): boolean =>
  !!(form.closest('[role=search],[data-shoptrail-form=search]') || form.querySelector('input[type=search]')) || !!searchOf(formTarget(form));

/** Inside `data-shoptrail-ignore`, or a form marked ignore: never captured. */
export const ignored = (el: Element): boolean => !!el.closest('[data-shoptrail-ignore],[data-shoptrail-form=ignore]');

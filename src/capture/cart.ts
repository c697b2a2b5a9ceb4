// Cart changes, from wherever the store tells: GA4 add_to_cart / remove_from_cart, the
// platforms' cart requests seen through fetch/XHR (only when they succeed), forms posting to
// cart routes (when the page lets them navigate), and `data-shoptrail-cart` buttons. Several
// of these often describe one add: the same product within a few seconds counts once.
import type { Core } from '../plugin';
import { onDataLayer } from '../lib/dataLayer';
import { formTarget, ignored, paramsOf } from '../lib/forms';
import { all, later, listen } from '../lib/later';
import { cur, fromGaItem, gaItems, num, pageProduct, str } from '../lib/markup';
import { onRequest } from '../lib/requests';

/** A change seen in a request waits this long for a GA4 push describing it (with price and currency), which wins. */
export const GA4_WAIT_MS = 50;

type Kind = 'add' | 'remove';
interface Change {
  productId?: string;
  variantId?: string;
  quantity?: number;
  price?: number;
  currency?: string;
  name?: string;
}

const WINDOW_MS = 3000;

/** The lines of the last whole cart the store's own responses returned (Shopify `/cart.js`, `/cart/change.js` …), in line order. */
let cartLines: any[] = [];

/**
 * The variant on a 1-based cart line: from the last cart seen, else Dawn's cart row (its
 * quantity input names the variant; its product link carries `?variant=`).
 */
const lineVariant = (line: number): [string?, string?] => {
  const item = cartLines[line - 1];
  if (item?.variant_id) return [str(item.variant_id), str(item.product_id)];
  const row = document.querySelector(
    `[data-index="${line}"][data-quantity-variant-id],#CartDrawer-Item-${line} a[href*="variant="],#CartItem-${line} a[href*="variant="]`,
  );
  return [str(row?.getAttribute('data-quantity-variant-id') ?? row?.getAttribute('href')?.match(/variant=(\d+)/)?.[1])];
};

/** The page's currency, for a price a platform answered without one (Shopify's `/cart/add.js`). */
const pageCurrency = (): string | undefined =>
  cur((window as any).Shopify?.currency?.active) ??
  cur(document.querySelector('meta[property$="price:currency"]')?.getAttribute('content')) ??
  pageProduct()?.currency;

/**
 * The lines of a cart request body: Shopify's `{items: [{id, quantity}, …]}`, BigCommerce's
 * `{lineItems: [{productId, quantity}, …]}`, or the body itself as one line.
 */
const linesOf = (body: unknown): unknown[] => {
  try {
    const o: any = typeof body == 'string' && /^\s*\{/.test(body) ? JSON.parse(body) : body;
    const lines = o && typeof o == 'object' ? o.items || o.lineItems || o.line_items : undefined;
    return Array.isArray(lines) && lines.length ? lines : [o];
  } catch {
    return [body];
  }
};

/** The cart changes a request or form to a platform's cart route describes, one per line. */
export const cartRequests = (url: URL, body?: unknown): Array<[Kind, Change]> =>
  linesOf(body)
    .map((line) => cartRequest(url, line))
    .filter((found): found is [Kind, Change] => !!found);

/** The cart change one line of such a request describes. */
const cartRequest = (url: URL, body?: unknown): [Kind, Change] | undefined => {
  const p = paramsOf(body, new URLSearchParams(url.search));
  const path = url.pathname;
  const get = (...names: string[]) => str(names.map((n) => p.get(n)).find((v) => v));
  const quantity = num(get('quantity', 'qty', 'qty[]'));
  const add = (productId?: string, variantId?: string): [Kind, Change] | undefined => (productId ? ['add', { productId, variantId, quantity }] : undefined);
  const wc = p.get('wc-ajax');
  if (/checkout\/cart\/add/.test(path)) return add(get('product') ?? path.match(/product\/(\d+)/)?.[1], get('selected_configurable_option'));
  // Shopify: `id` is the variant; themes rarely send the product id
  if (/\/cart\/add/.test(path)) return add(get('product-id', 'product_id') ?? get('id'), get('id'));
  if (/\/cart\/change/.test(path)) {
    if (quantity !== 0) return;
    // a line key "variant:hash" names its variant; Dawn's drawer sends only the 1-based line
    const [variant, product] = p.get('line') ? lineVariant(num(get('line'))!) : [get('id')?.replace(/:.*/, '')];
    return variant ? ['remove', { productId: product ?? variant, variantId: variant }] : undefined;
  }
  if (wc == 'add_to_cart' || p.get('add-to-cart')) return add(get('product_id', 'add-to-cart'), get('variation_id'));
  if (wc == 'remove_from_cart') {
    const key = get('cart_item_key');
    // WooCommerce sends only the line key; its remove link carries the product id
    const productId = get('product_id') ?? str(key && document.querySelector(`[data-cart_item_key="${CSS.escape(key)}"]`)?.getAttribute('data-product_id'));
    return productId ? ['remove', { productId }] : undefined;
  }
  // PrestaShop's cart controller, whatever its localised route (/panier, /carrito, /warenkorb …):
  // known by what its requests carry, the product and the shop's static token
  if (p.get('id_product') && (p.get('token') || p.get('controller') == 'cart' || /\/cart\/?$/.test(path))) {
    const change = add(get('id_product'), get('id_product_attribute'));
    if (change && p.get('add')) return change;
    if (change && p.get('delete')) return ['remove', change[1]];
  }
  if ((/cart\.php$/.test(path) && p.get('action') == 'add') || /\/remote\/v1\/cart\/add|\/api\/storefront\/carts/.test(path)) {
    return add(get('product_id', 'productId'), get('variant_id', 'variantId'));
  }
};

export const install = (core: Core) => {
  const recent: Array<[Kind, string[], number]> = [];
  const change = (kind: Kind, c: Change) => {
    const now = Date.now();
    const ids = [c.productId, c.variantId].filter(Boolean) as string[];
    while (recent.length && now - recent[0]![2] > WINDOW_MS) recent.shift();
    if (!ids.length || recent.some(([k, seen]) => k == kind && ids.some((id) => seen.includes(id)))) return;
    recent.push([kind, ids, now]);
    // a price needs its currency: when the platform's answer had none, the page's
    const currency = c.currency ?? (c.price != null ? pageCurrency() : undefined);
    core.track(kind == 'add' ? 'cart-product-added' : 'cart-product-removed', { ...c, currency, quantity: Math.max(1, Math.round(c.quantity || 1)) });
  };

  const onClick = (event: Event) => {
    const button = (event.target as Element).closest?.('[data-shoptrail-cart]');
    if (!button || ignored(button)) return;
    const data = (name: string) => str(button.getAttribute('data-shoptrail-' + name));
    const kind = data('cart') == 'remove' ? 'remove' : 'add';
    later(() =>
      change(kind, {
        productId: data('product-id'),
        variantId: data('variant-id'),
        quantity: num(data('quantity')),
        price: num(data('price')),
        currency: data('currency'),
        name: data('name'),
      }),
    );
  };

  const onSubmit = (event: Event) => {
    const form = event.target as HTMLFormElement;
    if (!(form instanceof HTMLFormElement) || ignored(form)) return;
    const target = formTarget(form);
    // WooCommerce names the product by its button: <button name="add-to-cart" value="55">
    const button = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    if (button?.name) target.searchParams.set(button.name, button.value);
    const found = cartRequests(target);
    // A prevented submit is an AJAX theme: its request is observed instead.
    if (found.length) later(() => event.defaultPrevented || found.forEach((c) => change(...c)));
  };

  const undo = [
    listen(document, 'click', onClick),
    listen(document, 'submit', onSubmit),
    onRequest(({ url, body, ok, text }) => {
      // PrestaShop's localised cart routes carry `id_product=` in their query or urlencoded body
      if (!ok || !/cart|id_product=/i.test(url + String(body))) return;
      const found = cartRequests(new URL(url, location.href), body);
      // Shopify's whole-cart answers list the lines that later requests name by number
      const whole = /\/cart(\/(change|update|clear))?(\.js)?(\?|$)/.test(url);
      // WooCommerce answers a refused add with 200 and {"error": true}. A little later: a GA4
      // push describing the same add (with price and currency) wins.
      if (found.length || whole) {
        text().then(
          (answer) => {
            if (/"error"\s*:\s*true/.test(answer)) return;
            try {
              // Shopify answers with the lines added: each one's product id, and the price in cents
              const parsed = JSON.parse(answer);
              if (whole && Array.isArray(parsed.items)) cartLines = parsed.items;
              const lines: any[] = [].concat(parsed.items || parsed);
              for (const [, c] of found) {
                const line = lines.find((l) => l && String(l.variant_id) == c.variantId);
                if (line?.product_id) {
                  c.productId = String(line.product_id);
                  c.price = num(line.final_price ?? line.price)! / 100 || undefined;
                }
              }
            } catch {
              // another platform's answer
            }
            later(() => found.forEach((c) => change(...c)), GA4_WAIT_MS);
          },
          () => {},
        );
      }
    }),
    onDataLayer((name, data) => {
      const kind = name == 'add_to_cart' ? 'add' : name == 'remove_from_cart' ? 'remove' : undefined;
      if (kind) for (const item of gaItems(data)) change(kind, fromGaItem(item, data.currency));
    }),
  ];
  return all(undo);
};

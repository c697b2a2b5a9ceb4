// The demo store's own script (not Shoptrail): cart in localStorage, search results, checkout,
// the journal's single-page navigation, and GA4 ecommerce events in window.dataLayer. It runs
// in <head> so the confirmation page's JSON-LD Order is in the document before any tracker
// reads it; everything that needs the body waits for DOMContentLoaded.
import { CURRENCY, PRODUCTS, formatPrice, searchProducts, type Product } from './products';
import { changeLine, lineFromButton, loadCart, saveCart, totals, type CartLine } from './shop/cart';
import { dataLayer, gaItem, pushEcommerce, pushEvent, type GaItem } from './shop/datalayer';
import { $, $$, el, toast } from './shop/dom';
import { startJournal } from './shop/journal-view';
import { findOrder, luhnValid, newOrderNumber, orderJsonLd, saveOrder, type Order } from './shop/order';
import { cartLine, productCard } from './shop/render';

const CUSTOMER = 'ridgeline.customer';
const productById = (id: string): Product | undefined => PRODUCTS.find((p) => p.id === id);
const variantLabel = (line: CartLine): string => productById(line.productId)?.variants.find((v) => v.id === line.variantId)?.label ?? line.variantId;
const itemOf = (product: Product, index?: number): GaItem & { index?: number } => ({
  item_id: product.id,
  item_name: product.name,
  item_brand: 'Ridgeline',
  item_category: product.category,
  price: product.price,
  quantity: 1,
  ...(index === undefined ? {} : { index }),
});

// --- header, cart buttons and forms present on every page ---

const showCartCount = (): void => {
  const { count } = totals(loadCart());
  for (const badge of $$('[data-cart-count]')) badge.textContent = String(count);
};

const showCustomer = (): void => {
  const customer = localStorage.getItem(CUSTOMER);
  const link = $('[data-account-link]');
  if (customer && link) link.textContent = `Hi, ${(JSON.parse(customer) as { name: string }).name}`;
};

/** Apply a cart button's change (add or remove that many) and report it like GA4 stores do. */
const applyCartButton = (button: HTMLElement): void => {
  const line = lineFromButton(button);
  if (!line) return;
  const adding = button.dataset.shoptrailCart === 'add';
  saveCart(changeLine(loadCart(), line, adding ? line.quantity : -line.quantity));
  pushEcommerce(adding ? 'add_to_cart' : 'remove_from_cart', {
    currency: line.currency,
    value: Math.round(line.price * line.quantity * 100) / 100,
    items: [gaItem(line)],
  });
  showCartCount();
  if (adding) toast(`Added ${line.quantity} × ${line.name} to your cart`);
  // Redraw in the next task: listeners further up (a tracker's, for one) still see the button.
  if (document.body.dataset.page === 'cart') setTimeout(renderCart, 0);
};

const watchCartButtons = (): void => {
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLElement>('[data-shoptrail-cart]');
    if (button && !button.hasAttribute('disabled')) applyCartButton(button);
  });
};

const setStatus = (form: HTMLFormElement, message: string): void => {
  const status = $('[data-form-status]', form);
  if (status) status.textContent = message;
};

const value = (form: HTMLFormElement, name: string): string => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();

const watchForms = (): void => {
  for (const form of $$<HTMLFormElement>('form[data-shoptrail-form="newsletter"]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      pushEvent('newsletter_signup', { method: 'footer' });
      setStatus(form, 'Thanks! Check your inbox to confirm your subscription.');
      form.reset();
    });
  }
  for (const form of $$<HTMLFormElement>('form[data-shoptrail-form="login"], form[data-shoptrail-form="register"]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const email = value(form, 'email');
      if (!email.includes('@') || value(form, 'password').length < (form.dataset.shoptrailForm === 'register' ? 8 : 1)) {
        setStatus(form, form.dataset.shoptrailForm === 'register' ? 'Enter an email and a password of 8 characters or more.' : 'Enter your email and password.');
        return;
      }
      const name = value(form, 'firstName') || email.split('@')[0]!;
      localStorage.setItem(CUSTOMER, JSON.stringify({ email, name }));
      const registering = form.dataset.shoptrailForm === 'register';
      pushEvent(registering ? 'sign_up' : 'login', { method: 'email' });
      setStatus(form, registering ? `Welcome, ${name}! Your account is ready.` : `Signed in as ${email}.`);
      showCustomer();
    });
  }
};

/** GA4 view_item_list for every product list on the page. */
const reportLists = (): void => {
  for (const list of $$('[data-item-list]')) {
    const products = $$('[data-list-item]', list)
      .map((card) => productById(card.dataset.listItem ?? ''))
      .filter((p): p is Product => !!p);
    if (!products.length) continue;
    pushEcommerce('view_item_list', {
      item_list_id: list.dataset.itemList,
      item_list_name: list.dataset.itemListName ?? list.querySelector('h2')?.textContent ?? list.dataset.itemList,
      items: products.map((p, i) => itemOf(p, i)),
    });
  }
};

// --- pages ---

const productPage = (): void => {
  const product = productById($('[data-product]')?.dataset.product ?? '');
  if (!product) return;
  pushEcommerce('view_item', { currency: CURRENCY, value: product.price, items: [itemOf(product)] });
  const button = $('[data-buy-button]');
  const select = $<HTMLSelectElement>('[data-variant-select]');
  const quantity = $<HTMLInputElement>('[data-quantity-input]');
  if (!button) return;
  // The button's attributes always describe what a click would add.
  select?.addEventListener('change', () => button.setAttribute('data-shoptrail-variant-id', select.value));
  quantity?.addEventListener('input', () => {
    const n = Math.max(1, Math.min(20, Math.floor(Number(quantity.value)) || 1));
    button.setAttribute('data-shoptrail-quantity', String(n));
  });
};

const searchPage = (): void => {
  const query = (new URLSearchParams(location.search).get('q') ?? '').trim().slice(0, 100);
  const input = $<HTMLInputElement>('#site-search');
  if (input) input.value = query;
  if (!query) return;
  const found = searchProducts(query);
  $('[data-search-title]')!.textContent = `Results for “${query}”`;
  $('[data-search-summary]')!.textContent = found.length
    ? `${found.length} product${found.length === 1 ? '' : 's'} found.`
    : 'Nothing matched. Try “coffee”, “tea” or “kettle”.';
  $('[data-search-results]')!.replaceChildren(...found.map((p) => productCard(p, 'search')));
  document.title = `${query} — Search · Ridgeline Coffee & Tea`;
  pushEvent('search', { search_term: query });
};

const showTotals = (lines: CartLine[]): void => {
  const t = totals(lines);
  for (const node of $$('[data-cart-subtotal]')) node.textContent = formatPrice(t.subtotal);
  for (const node of $$('[data-cart-shipping]')) node.textContent = t.shipping ? formatPrice(t.shipping) : 'Free';
  for (const node of $$('[data-cart-total]')) node.textContent = formatPrice(t.total);
};

const renderCart = (): void => {
  const lines = loadCart();
  $('[data-cart-lines]')!.replaceChildren(...lines.map((line) => cartLine(line, productById(line.productId), variantLabel(line))));
  $('[data-cart-empty]')!.hidden = lines.length > 0;
  $('[data-cart-summary]')!.hidden = lines.length === 0;
  showTotals(lines);
};

const miniLines = (lines: CartLine[]): HTMLElement[] =>
  lines.map((l) => el('li', {}, el('span', {}, `${l.quantity} × ${l.name} (${variantLabel(l)})`), el('span', {}, formatPrice(l.price * l.quantity))));

const checkoutPage = (): void => {
  const lines = loadCart();
  const form = $<HTMLFormElement>('[data-checkout-form]')!;
  $('[data-checkout-lines]')!.replaceChildren(...miniLines(lines));
  showTotals(lines);
  if (!lines.length) {
    setStatus(form, 'Your cart is empty: add something before checking out.');
    return;
  }
  const t = totals(lines);
  pushEcommerce('begin_checkout', { currency: CURRENCY, value: t.total, items: lines.map(gaItem) });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const missing = $$<HTMLInputElement>('input[required]', form).find((input) => !input.value.trim());
    if (missing) {
      setStatus(form, `Please fill in “${missing.closest('label')?.firstChild?.textContent?.trim() ?? missing.name}”.`);
      missing.focus();
      return;
    }
    if (!luhnValid(value(form, 'cardnumber').replace(/[\s-]/g, ''))) {
      setStatus(form, 'That card number does not look right. For this demo, use 4242 4242 4242 4242.');
      return;
    }
    const current = loadCart();
    const sums = totals(current);
    const order: Order = {
      number: newOrderNumber(),
      placedAt: new Date().toISOString(),
      lines: current,
      subtotal: sums.subtotal,
      shipping: sums.shipping,
      total: sums.total,
      currency: CURRENCY,
    };
    saveOrder(order);
    saveCart([]);
    location.assign(`/confirmation.html?order=${encodeURIComponent(order.number)}`);
  });
};

const confirmedOrder = (): Order | undefined => findOrder(new URLSearchParams(location.search).get('order'));

const confirmationPage = (): void => {
  const order = confirmedOrder();
  if (!order) {
    $('[data-order-missing]')!.hidden = false;
    return;
  }
  $('[data-order-number]')!.textContent = order.number;
  $('[data-order-total]')!.textContent = formatPrice(order.total);
  $('[data-order-lines]')!.replaceChildren(...miniLines(order.lines));
  if (order.reported) return; // a reload shows the order again but does not count a second sale
  pushEcommerce('purchase', {
    transaction_id: order.number,
    value: order.total,
    shipping: order.shipping,
    currency: order.currency,
    items: order.lines.map(gaItem),
  });
  saveOrder({ ...order, reported: true });
};

const PAGES: Record<string, () => void> = {
  product: productPage,
  search: searchPage,
  cart: renderCart,
  checkout: checkoutPage,
  confirmation: confirmationPage,
  journal: startJournal,
};

// Now, in <head>: the dataLayer, and the order's JSON-LD on the confirmation page.
dataLayer();
if (location.pathname === '/confirmation.html') {
  const order = confirmedOrder();
  if (order) {
    const script = document.createElement('script');
    script.type = 'application/ld+json';
    script.textContent = JSON.stringify(orderJsonLd(order));
    document.head.append(script);
  }
}

const start = (): void => {
  showCartCount();
  showCustomer();
  watchCartButtons();
  watchForms();
  PAGES[document.body.dataset.page ?? '']?.();
  reportLists();
};

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

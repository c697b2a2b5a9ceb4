// Elements the shop draws in the browser: product pictures, search-result cards, cart lines.
import { CATEGORIES, CURRENCY, formatPrice, productUrl, type Product } from '../products';
import type { CartLine } from './cart';
import { el } from './dom';

export const art = (product: Pick<Product, 'art' | 'tone' | 'name'>): HTMLElement => {
  const node = el(
    'div',
    { class: `art art-${product.art}`, 'aria-hidden': 'true' },
    el('span', { class: 'art-shape' }, el('span', { class: 'art-label' }, product.name.split(' ').pop() ?? '')),
  );
  node.style.setProperty('--tone', product.tone);
  return node;
};

const cartButton = (
  kind: 'add' | 'remove',
  line: Pick<CartLine, 'productId' | 'variantId' | 'price' | 'currency' | 'name'>,
  quantity: number,
  label: string,
  attrs: Record<string, string> = {},
) =>
  el(
    'button',
    {
      type: 'button',
      'data-shoptrail-cart': kind,
      'data-shoptrail-product-id': line.productId,
      'data-shoptrail-variant-id': line.variantId,
      'data-shoptrail-quantity': quantity,
      'data-shoptrail-price': line.price.toFixed(2),
      'data-shoptrail-currency': line.currency,
      'data-shoptrail-name': line.name,
      ...attrs,
    },
    label,
  );

export const productCard = (product: Product, list: string): HTMLElement => {
  const line = { productId: product.id, variantId: product.variants[0]!.id, price: product.price, currency: CURRENCY, name: product.name };
  const button = product.inStock
    ? cartButton('add', line, 1, 'Add to cart', { class: 'btn btn-small' })
    : el('button', { class: 'btn btn-small', type: 'button', disabled: true }, 'Sold out');
  return el(
    'article',
    { class: 'card', 'data-list-item': product.id },
    el('a', { class: 'card-media', href: productUrl(product), 'data-shoptrail-link': `${list}-${product.id}` }, art(product)),
    el(
      'div',
      { class: 'card-body' },
      el('p', { class: 'card-kicker' }, CATEGORIES[product.category].title),
      el('h3', {}, el('a', { href: productUrl(product) }, product.name)),
      el('p', { class: 'price' }, formatPrice(product.price)),
      button,
    ),
  );
};

export const cartLine = (line: CartLine, product: Product | undefined, variantLabel: string): HTMLElement =>
  el(
    'li',
    { class: 'cart-line', 'data-variant': line.variantId },
    product ? art(product) : el('div', { class: 'art' }),
    el(
      'div',
      {},
      el('h3', {}, el('a', { href: `/products/${line.productId}.html` }, line.name)),
      el('p', {}, `${variantLabel} · ${formatPrice(line.price)}`),
      cartButton('remove', line, line.quantity, 'Remove', { class: 'link-button', 'aria-label': `Remove ${line.name}` }),
    ),
    el(
      'div',
      { class: 'stepper' },
      cartButton('remove', line, 1, '−', { 'aria-label': `One less ${line.name}` }),
      el('output', { 'aria-live': 'polite' }, String(line.quantity)),
      cartButton('add', line, 1, '+', { 'aria-label': `One more ${line.name}` }),
    ),
    el('p', { class: 'line-total' }, formatPrice(line.price * line.quantity)),
  );

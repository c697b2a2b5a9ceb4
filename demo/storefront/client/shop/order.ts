// Orders placed at checkout: kept in localStorage by number, so the confirmation page shows
// the same order (and the same JSON-LD) on every reload.
import type { CartLine } from './cart';

export interface Order {
  number: string;
  placedAt: string;
  lines: CartLine[];
  subtotal: number;
  shipping: number;
  total: number;
  currency: string;
  /** The GA4 purchase event was pushed once; a reload does not push it again. */
  reported?: boolean;
}

const KEY = 'ridgeline.orders';
const KEEP = 10;

const loadAll = (): Order[] => {
  try {
    const orders = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(orders) ? (orders as Order[]) : [];
  } catch {
    return [];
  }
};

export const saveOrder = (order: Order): void => {
  const others = loadAll().filter((o) => o.number !== order.number);
  localStorage.setItem(KEY, JSON.stringify([order, ...others].slice(0, KEEP)));
};

export const findOrder = (number: string | null): Order | undefined => (number ? loadAll().find((o) => o.number === number) : undefined);

export const newOrderNumber = (): string => `RC-${String(100000 + Math.floor(Math.random() * 900000))}`;

/** schema.org Order, as stores put it on their confirmation page. */
export const orderJsonLd = (order: Order): Record<string, unknown> => ({
  '@context': 'https://schema.org',
  '@type': 'Order',
  orderNumber: order.number,
  orderDate: order.placedAt,
  orderStatus: 'https://schema.org/OrderProcessing',
  price: order.total.toFixed(2),
  priceCurrency: order.currency,
  totalPaymentDue: { '@type': 'PriceSpecification', price: order.total.toFixed(2), priceCurrency: order.currency },
  seller: { '@type': 'Organization', name: 'Ridgeline Coffee & Tea' },
  acceptedOffer: order.lines.map((line) => ({
    '@type': 'Offer',
    itemOffered: { '@type': 'Product', productID: line.productId, sku: line.sku, name: line.name },
    price: line.price.toFixed(2),
    priceCurrency: line.currency,
    eligibleQuantity: { '@type': 'QuantitativeValue', value: line.quantity },
  })),
  orderedItem: order.lines.map((line) => ({
    '@type': 'OrderItem',
    orderQuantity: line.quantity,
    orderedItem: {
      '@type': 'Product',
      productID: line.productId,
      sku: line.sku,
      name: line.name,
      offers: { '@type': 'Offer', price: line.price.toFixed(2), priceCurrency: line.currency },
    },
  })),
});

/** Luhn check, so a mistyped card number is caught before the order is placed. */
export const luhnValid = (digits: string): boolean => {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
};

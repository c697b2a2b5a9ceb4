// The shop's cart, kept in localStorage like many small stores do. Pure helpers plus load/save.
import { CURRENCY, PRODUCTS } from '../products';

export interface CartLine {
  productId: string;
  variantId: string;
  name: string;
  sku: string;
  price: number;
  currency: string;
  quantity: number;
}

const KEY = 'ridgeline.cart';
export const FREE_SHIPPING_FROM = 40;
export const SHIPPING = 4.9;

export const loadCart = (): CartLine[] => {
  try {
    const lines = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(lines) ? (lines as CartLine[]).filter((line) => line && line.quantity > 0) : [];
  } catch {
    return [];
  }
};

export const saveCart = (lines: CartLine[]): void => {
  localStorage.setItem(KEY, JSON.stringify(lines));
};

/** A line from a cart button's data-shoptrail-* attributes (the same ones the tracker reads). */
export const lineFromButton = (button: HTMLElement): CartLine | null => {
  const data = button.dataset;
  const product = PRODUCTS.find((p) => p.id === data.shoptrailProductId);
  if (!product) return null;
  return {
    productId: product.id,
    variantId: data.shoptrailVariantId || product.variants[0]!.id,
    name: product.name,
    sku: product.sku,
    price: product.price,
    currency: data.shoptrailCurrency || CURRENCY,
    quantity: Math.max(1, Math.min(20, Number(data.shoptrailQuantity) || 1)),
  };
};

/** Add `quantity` of a variant (a negative quantity takes some away; at zero the line goes). */
export const changeLine = (lines: CartLine[], line: CartLine, quantity: number): CartLine[] => {
  const index = lines.findIndex((l) => l.variantId === line.variantId);
  if (index < 0) return quantity > 0 ? [...lines, { ...line, quantity }] : lines;
  const next = lines.map((l, i) => (i === index ? { ...l, quantity: l.quantity + quantity } : l));
  return next.filter((l) => l.quantity > 0);
};

export const totals = (lines: CartLine[]): { subtotal: number; shipping: number; total: number; count: number } => {
  const subtotal = Math.round(lines.reduce((sum, l) => sum + l.price * l.quantity, 0) * 100) / 100;
  const shipping = subtotal === 0 || subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING;
  const count = lines.reduce((sum, l) => sum + l.quantity, 0);
  return { subtotal, shipping, total: Math.round((subtotal + shipping) * 100) / 100, count };
};

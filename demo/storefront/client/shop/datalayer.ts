// GA4 ecommerce events in window.dataLayer, pushed the way real stores push them (a null
// ecommerce first, so the previous event's items do not leak into the next one).
import type { CartLine } from './cart';

type Window_ = Window & { dataLayer?: unknown[] };

export interface GaItem {
  item_id: string;
  item_name: string;
  item_brand?: string;
  item_variant?: string;
  item_category?: string;
  price: number;
  quantity: number;
}

export const dataLayer = (): unknown[] => ((window as Window_).dataLayer ??= []);

export const gaItem = (line: CartLine): GaItem => ({
  item_id: line.productId, // the same id as the cart buttons and the JSON-LD productID
  item_name: line.name,
  item_brand: 'Ridgeline',
  item_variant: line.variantId,
  price: line.price,
  quantity: line.quantity,
});

export const pushEcommerce = (event: string, ecommerce: Record<string, unknown>): void => {
  const layer = dataLayer();
  layer.push({ ecommerce: null });
  layer.push({ event, ecommerce });
};

export const pushEvent = (event: string, fields: Record<string, unknown>): void => {
  dataLayer().push({ event, ...fields });
};

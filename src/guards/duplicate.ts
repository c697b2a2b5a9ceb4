// Duplicate suppression: the same event fired twice in a moment (a double click, a double
// submit) is billed once. A purchase is a duplicate whenever its orderId was seen before, at
// any distance in time: a reloaded confirmation page must not bill (or count revenue) twice.
// Owns the order ids seen (`<name>.orders` in localStorage); src/capture/purchases.ts reads them.
import { readJson, writeJson } from '../lib/storage';
import type { Guard } from '../plugin';

/** Orders remembered across pages. */
const ORDERS = 50;

/** The localStorage key of the order ids seen: written here, read by the purchase capture. */
export const ordersKey = (name: string) => `${name}.orders`;

/**
 * `key`: localStorage key of the orders seen (none: memory only); `mayStore`: whether it may be
 * written now (consent). Cart changes are exempt from the time window: an identical repeat is a
 * real change of quantity in the store's cart.
 */
export const duplicate = (windowMs = 1000, key?: string, mayStore = () => true): Guard => {
  /** Per type, the previous event's page, body and time: only a repeat of the one just before is a duplicate (A, B, A is three navigations). */
  const previous: Record<string, [url: string, json: string, at: number]> = {};
  let orders: string[] | undefined;
  return (event, entry) => {
    const body = event.body as { orderId?: string };
    if (event.type == 'purchase') {
      orders ||= (key && readJson<string[]>(key)) || [];
      if (orders.includes(body.orderId!)) return 'duplicate';
      orders = [...orders, body.orderId!].slice(-ORDERS);
      if (key && mayStore()) writeJson(key, orders);
      return;
    }
    if (entry.priority == 'essential' && event.type.startsWith('cart')) return;
    const now = Date.now();
    // The same body on another page (a page visit after a client-side navigation) is another event.
    // Page and body compared apart: joined, each comparison flattened a fresh string of both.
    const url = event.context.page.url;
    const json = JSON.stringify(event.body);
    const last = previous[event.type];
    previous[event.type] = [url, json, now];
    if (last && last[0] == url && last[1] == json && now - last[2] < windowMs) return 'duplicate';
  };
};

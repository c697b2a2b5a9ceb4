// Duplicate suppression: the same event fired twice in a moment (a double click, a double
// submit) is billed once. A purchase is a duplicate whenever its orderId was seen before, at
// any distance in time: a reloaded confirmation page must not bill (or count revenue) twice.
import { readJson, writeJson } from '../lib/storage';
import type { Guard } from '../tracker';

/** Orders remembered across pages. */
const ORDERS = 50;

/**
 * `key`: localStorage key of the orders seen (none: memory only); `mayStore`: whether it may be
 * written now (consent). Cart changes are exempt from the time window: an identical repeat is a
 * real change of quantity in the store's cart.
 */
export const duplicate = (windowMs = 1000, key?: string, mayStore = () => true): Guard => {
  const recent = new Map<string, number>();
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
    const fingerprint = event.type + JSON.stringify(event.body);
    const last = recent.get(fingerprint);
    recent.set(fingerprint, now);
    // Forget old fingerprints now and then, so a long session holds only the last moment's.
    if (recent.size > 100) for (const [k, t] of recent) if (now - t > windowMs) recent.delete(k);
    if (last !== undefined && now - last < windowMs) return 'duplicate';
  };
};

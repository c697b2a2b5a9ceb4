// Purchases: GA4 `purchase`, a JSON-LD `Order` on the confirmation page, or Shopify's
// thank-you page object (`Shopify.checkout`). An order counts once, even when several
// sources describe it or the confirmation page is reloaded: this page's orders are remembered
// here, earlier pages' are read from the duplicate guard's list (src/guards/duplicate.ts owns it).
import { ordersKey } from '../guards/duplicate';
import { readJson } from '../lib/storage';
import type { Core } from '../plugin';
import { onDataLayer } from '../lib/dataLayer';
import { later } from '../lib/later';
import { fromGaItem, gaItems, isType, jsonLd, num, str } from '../lib/markup';

/** The page's markup is read this long after start, once GA4's replayed purchase (which says more) has counted. */
export const MARKUP_DELAY_MS = 50;

const cur = (value: unknown) => str(value)?.toUpperCase();

const fromLdOrder = (node: any) => {
  const total = node.totalPaymentDue ?? node.partOfInvoice?.totalPaymentDue ?? node;
  const offers: any[] = [].concat(node.acceptedOffer || node.orderedItem || []);
  return {
    orderId: str(node.orderNumber ?? node.confirmationNumber),
    value: num(total.price ?? total.value ?? node.price),
    currency: cur(total.priceCurrency ?? node.priceCurrency),
    items: offers.map((offer) => {
      const product = offer.itemOffered ?? offer.orderedItem ?? offer;
      return {
        productId: str(product.productID ?? product.sku ?? product.name)!,
        sku: str(product.sku),
        name: str(product.name),
        price: num(offer.price),
        quantity: num(offer.eligibleQuantity?.value ?? offer.orderQuantity) || 1,
      };
    }),
  };
};

const fromShopify = (checkout: any) => ({
  orderId: str(checkout.order_id),
  value: num(checkout.total_price),
  currency: cur(checkout.currency ?? checkout.presentment_currency),
  tax: num(checkout.total_tax),
  items: [].concat(checkout.line_items || []).map((line: any) => ({
    productId: str(line.product_id)!,
    variantId: str(line.variant_id),
    sku: str(line.sku),
    name: str(line.title),
    price: num(line.price),
    quantity: num(line.quantity) || 1,
  })),
});

export const install = (core: Core) => {
  const key = ordersKey(core.config.name);
  const bought: string[] = [];
  const buy = (order: Record<string, any>) => {
    const id = order.orderId;
    if (!id || bought.includes(id) || readJson<string[]>(key)?.includes(id)) return;
    if (core.track('purchase', order).ok) bought.push(id);
  };
  // A little later: a GA4 purchase of the same order, pushed before we loaded, says more (tax, shipping, coupon)
  later(() => {
    for (const node of jsonLd()) if (isType(node, /^Order$/)) buy(fromLdOrder(node));
    const checkout = (window as any).Shopify?.checkout;
    if (checkout?.order_id) buy(fromShopify(checkout));
  }, MARKUP_DELAY_MS);
  return onDataLayer((name, data) => {
    if (name != 'purchase') return;
    buy({
      orderId: str(data.transaction_id),
      value: num(data.value),
      currency: cur(data.currency),
      tax: num(data.tax),
      shipping: num(data.shipping),
      coupon: str(data.coupon),
      items: gaItems(data).map((item) => fromGaItem(item, data.currency)),
    });
  });
};

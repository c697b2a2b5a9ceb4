// Shopify's standard customer events (Web Pixels API) as catalog events. Money comes as
// { amount, currencyCode }; product variants carry their product. Events with no catalog
// counterpart (cart_viewed, checkout_started, payment_info_submitted …) are not sent.
type Money = { amount?: number; currencyCode?: string } | undefined;
type Variant = {
  id?: string;
  sku?: string;
  title?: string;
  price?: Money;
  image?: { src?: string };
  product?: { id?: string; title?: string; vendor?: string; type?: string; url?: string };
};
type Line = { quantity?: number; merchandise?: Variant; cost?: { totalAmount?: Money } };

export interface PixelEvent {
  id?: string;
  name: string;
  timestamp?: string;
  clientId?: string;
  context?: { document?: { location?: { href?: string; pathname?: string }; title?: string; referrer?: string } };
  data?: any;
}

const str = (value: unknown): string | undefined => (value == null || value === '' ? undefined : String(value));

/** Shopify's global ids ("gid://shopify/ProductVariant/123") as the numeric id stores know. */
const shortId = (value: unknown): string | undefined => str(value)?.replace(/^gid:\/\/shopify\/\w+\//, '');

const product = (variant: Variant | undefined) => ({
  productId: shortId(variant?.product?.id) ?? shortId(variant?.id) ?? 'unknown',
  variantId: shortId(variant?.id),
  sku: str(variant?.sku),
  name: str(variant?.product?.title ?? variant?.title),
  price: variant?.price?.amount,
  currency: str(variant?.price?.currencyCode),
});

const cartChange = (line: Line | undefined) => ({ ...product(line?.merchandise), quantity: line?.quantity ?? 1 });

/** The catalog type and body of a Shopify event, or undefined for one Shoptrail does not send. */
export const mapEvent = (event: PixelEvent): [string, Record<string, unknown>] | undefined => {
  const doc = event.context?.document;
  const data = event.data ?? {};
  switch (event.name) {
    case 'page_viewed':
      return ['web-page-visited', { url: str(doc?.location?.href), path: str(doc?.location?.pathname), title: str(doc?.title), referrer: str(doc?.referrer) }];
    case 'product_viewed': {
      const variant: Variant | undefined = data.productVariant;
      return [
        'product-visited',
        {
          ...product(variant),
          brand: str(variant?.product?.vendor),
          category: str(variant?.product?.type),
          url: str(doc?.location?.href),
          imageUrl: str(variant?.image?.src),
        },
      ];
    }
    case 'search_submitted':
      return ['product-searched', { query: str(data.searchResult?.query) ?? '', resultCount: data.searchResult?.productVariants?.length }];
    case 'product_added_to_cart':
      return ['cart-product-added', cartChange(data.cartLine)];
    case 'product_removed_from_cart':
      return ['cart-product-removed', cartChange(data.cartLine)];
    case 'checkout_completed': {
      const checkout = data.checkout ?? {};
      const currency = str(checkout.currencyCode ?? checkout.totalPrice?.currencyCode);
      return [
        'purchase',
        {
          orderId: shortId(checkout.order?.id) ?? str(checkout.token) ?? 'unknown',
          value: checkout.totalPrice?.amount ?? 0,
          currency,
          tax: checkout.totalTax?.amount,
          shipping: checkout.shippingLine?.price?.amount,
          coupon: str(checkout.discountApplications?.[0]?.title),
          items: (checkout.lineItems ?? []).map((item: { quantity?: number; title?: string; variant?: Variant }) => ({
            ...product(item.variant),
            name: str(item.title ?? item.variant?.product?.title),
            quantity: item.quantity,
          })),
        },
      ];
    }
    default:
      return undefined;
  }
};

/** Every standard event the pixel subscribes to. */
export const SUBSCRIBED = ['page_viewed', 'product_viewed', 'search_submitted', 'product_added_to_cart', 'product_removed_from_cart', 'checkout_completed'];

// What the page says about itself in structured data: schema.org JSON-LD (arrays and @graph
// included), microdata, Open Graph product tags, and Connectif's hidden `cn_*` tags (so stores
// already marked up for Connectif work as they are).

/** Every JSON-LD node on the page, flattened out of arrays and @graph. */
export const jsonLd = (): any[] => {
  const nodes: any[] = [];
  const add = (node: any) => {
    if (Array.isArray(node)) node.forEach(add);
    else if (node && typeof node == 'object') {
      nodes.push(node);
      if (node['@graph']) add(node['@graph']);
    }
  };
  document.querySelectorAll('script[type="application/ld+json"]').forEach((script) => {
    try {
      add(JSON.parse(script.textContent!));
    } catch {
      // a store's broken JSON-LD is its own business
    }
  });
  return nodes;
};

/** Whether a JSON-LD node is of one of these types (`@type` may be a list or a URL). */
export const isType = (node: any, types: RegExp): boolean => [].concat(node['@type']).some((t) => types.test(String(t).replace(/.*\//, '')));

export const num = (value: unknown): number | undefined => {
  const n = typeof value == 'number' ? value : parseFloat(String(value ?? '').replace(/[^\d.-]/g, ''));
  return n >= 0 ? n : undefined;
};

export const str = (value: unknown): string | undefined => (value == null || value === '' ? undefined : String(value).trim().slice(0, 200) || undefined);

export const cur = (value: unknown) => (/^[A-Z]{3}$/.test(String(value)) ? String(value) : undefined);

interface ProductInfo {
  productId: string;
  variantId?: string;
  sku?: string;
  name?: string;
  price?: number;
  currency?: string;
  availability?: string;
  brand?: string;
  url?: string;
}

const fromLd = (node: any): ProductInfo | undefined => {
  const variant = isType(node, /^ProductGroup$/) ? [].concat(node.hasVariant || [])[0] || {} : node;
  const offer: any = [].concat(node.offers || variant.offers || [])[0] || {};
  const sku = str(variant.sku ?? node.sku);
  const productId = str(node.productGroupID ?? node.productID ?? node.sku ?? sku ?? node['@id'] ?? node.url ?? node.name);
  if (!productId) return;
  // Shopify names a variant by its numeric id in the variant's and offer's URLs (`?variant=40112`);
  // the SKU stays the SKU
  const numeric = String([variant['@id'], offer.url]).match(/[?&]variant=(\d+)/)?.[1];
  return {
    productId,
    variantId: str(numeric ?? (variant === node ? undefined : (variant.productID ?? variant.sku))),
    sku,
    name: str(node.name),
    price: num(offer.price ?? offer.lowPrice ?? offer.priceSpecification?.price),
    currency: cur(offer.priceCurrency ?? offer.priceSpecification?.priceCurrency),
    availability: str(String(offer.availability ?? '').replace(/.*\//, '')),
    brand: str(node.brand?.name ?? node.brand),
  };
};

const attr = (root: ParentNode, selector: string) => {
  const el = root.querySelector(selector);
  return el ? str(el.getAttribute('content') ?? el.getAttribute('href') ?? el.textContent) : undefined;
};

/**
 * A product from markup that names its fields: `fields` lists where the id, sku, name, price,
 * currency and availability are (comma-separated; `a|b` tries a then b; empty: not there).
 */
const fromMarkup = (get: (name: string) => string | undefined, fields: string) => {
  const [id, sku, name, price, currency, availability] = fields.split(',').map((names) => (names ? names.split('|').map(get).find(Boolean) : undefined));
  return id ? { productId: id, sku, name, price: num(price), currency: cur(currency), availability: availability?.replace(/.*\//, '') } : undefined;
};

/**
 * The product this page is about, from the first source that names one: JSON-LD, microdata,
 * Open Graph, Connectif's hidden tag (`<div class="cn_product_visited"><span class="product_id">…`).
 */
export const pageProduct = (): ProductInfo | undefined => {
  const node = jsonLd().find((n) => isType(n, /^Product(Group)?$/));
  const micro = document.querySelector('[itemtype$="schema.org/Product"]');
  const og = document.querySelector('meta[property="og:type"][content=product]');
  const cn = document.querySelector('.cn_product_visited');
  return (
    (node && fromLd(node)) ??
    (micro && fromMarkup((n) => attr(micro, `[itemprop=${n}]`), 'productID|sku|name,sku,name,price,priceCurrency,availability')) ??
    (og &&
      fromMarkup(
        (n) => attr(document, `meta[property="${n}"]`),
        'product:retailer_item_id|og:url|og:title,,og:title,product:price:amount|og:price:amount,product:price:currency|og:price:currency,product:availability|og:availability',
      )) ??
    (cn && fromMarkup((n) => str(cn.querySelector('.' + n)?.textContent), 'product_id,,name,unit_price,,')) ??
    undefined
  );
};

/** A GA4 item as a Shoptrail product/line. */
export const fromGaItem = (item: any, currency?: unknown) => ({
  productId: str(item.item_id ?? item.id ?? item.item_name)!,
  variantId: str(item.item_variant),
  name: str(item.item_name ?? item.name),
  price: num(item.price),
  currency: cur(item.currency ?? currency),
  brand: str(item.item_brand),
  category: str(item.item_category),
  quantity: Math.max(1, Math.round(num(item.quantity) || 1)),
});

/** GA4 items of an event (ecommerce.items), as a list. */
export const gaItems = (data: any): any[] => [].concat(data?.items || []).filter((i: any) => i && (i.item_id ?? i.id ?? i.item_name) != null);

// Product visits: the product a page is about (JSON-LD Product/ProductGroup, microdata, Open
// Graph product tags, Connectif's cn_product_visited), and GA4 `view_item` (quick views,
// SPAs). A GA4 view of the page's own product does not count it twice.
import type { Core } from '../plugin';
import { onDataLayer } from '../lib/dataLayer';
import { fromGaItem, gaItems, pageProduct } from '../lib/markup';
import { cleanUrl } from '../lib/url';

export const install = (core: Core) => {
  const seen = new Set<string>();
  const visit = (product: Record<string, any>) => {
    const ids = [product.productId, product.sku, product.variantId, product.name].filter(Boolean);
    if (ids.some((id) => seen.has(id))) return;
    ids.forEach((id) => seen.add(id));
    core.track('product-visited', product);
  };
  const page = pageProduct();
  if (page) visit({ ...page, url: cleanUrl(location.href) });
  return onDataLayer((name, data) => {
    const item = name == 'view_item' && gaItems(data)[0];
    if (item) {
      const { quantity, ...product } = fromGaItem(item, data.currency);
      visit(product);
    }
  });
};

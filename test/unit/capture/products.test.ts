import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install } from '../../../src/capture/products';
import { at, fakeCore, tasks } from '../support/core';

const ld = (data: unknown) => `<script type="application/ld+json">${JSON.stringify(data)}</script>`;

describe('product visits', () => {
  let uninstall: () => void;
  beforeEach(() => {
    (window as any).dataLayer = [];
    document.head.innerHTML = '';
    document.body.innerHTML = '';
    at('https://s.example/products/red-shoe');
  });
  afterEach(() => uninstall?.());

  const run = async () => {
    const fake = fakeCore();
    uninstall = install(fake.core) as () => void;
    await tasks();
    return fake.tracked;
  };

  it('reads a JSON-LD Product inside @graph, with its offer', async () => {
    document.head.innerHTML = ld({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'BreadcrumbList' },
        {
          '@type': 'Product',
          sku: 'RS-42',
          name: 'Red shoe',
          brand: { '@type': 'Brand', name: 'Acme' },
          offers: [{ '@type': 'Offer', price: '59.90', priceCurrency: 'EUR', availability: 'https://schema.org/InStock' }],
        },
      ],
    });
    expect(await run()).toEqual([
      {
        type: 'product-visited',
        body: {
          productId: 'RS-42',
          sku: 'RS-42',
          name: 'Red shoe',
          price: 59.9,
          currency: 'EUR',
          availability: 'InStock',
          brand: 'Acme',
          url: 'https://s.example/products/red-shoe',
        },
      },
    ]);
  });

  it('reads a ProductGroup in an array, taking the first variant', async () => {
    document.head.innerHTML = ld([
      { '@type': 'ProductGroup', productGroupID: 'G1', name: 'Tee', hasVariant: [{ '@type': 'Product', sku: 'G1-S', offers: { price: 20, priceCurrency: 'USD' } }] },
    ]);
    const [event] = await run();
    expect(event!.body).toMatchObject({ productId: 'G1', variantId: 'G1-S', price: 20, currency: 'USD' });
  });

  it("reads Shopify's structured_data: the product id, the numeric variant id and the SKU as sku", async () => {
    document.head.innerHTML = ld({
      '@context': 'http://schema.org/',
      '@id': 'https://acme-shoes.myshopify.com/products/red-shoe#product',
      '@type': 'ProductGroup',
      name: 'Red Shoe',
      productGroupID: '7001',
      url: 'https://acme-shoes.myshopify.com/products/red-shoe',
      hasVariant: [
        {
          '@id': 'https://acme-shoes.myshopify.com/products/red-shoe?variant=40112#variant',
          '@type': 'Product',
          name: 'Red Shoe - 42',
          sku: 'RS-42',
          offers: { '@type': 'Offer', price: '59.90', priceCurrency: 'EUR', url: 'https://acme-shoes.myshopify.com/products/red-shoe?variant=40112' },
        },
      ],
    });
    const [event] = await run();
    expect(event!.body).toMatchObject({ productId: '7001', variantId: '40112', sku: 'RS-42', price: 59.9, currency: 'EUR' });
  });

  it('falls back to microdata, then Open Graph, then Connectif tags', async () => {
    document.body.innerHTML = `<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Lamp</span>
      <meta itemprop="sku" content="L-1"><div itemprop="offers" itemscope><meta itemprop="price" content="30"><meta itemprop="priceCurrency" content="GBP"></div></div>`;
    expect((await run())[0]!.body).toMatchObject({ productId: 'L-1', name: 'Lamp', price: 30, currency: 'GBP' });
    uninstall();
    document.body.innerHTML = '';
    document.head.innerHTML = `<meta property="og:type" content="product"><meta property="og:title" content="Mug">
      <meta property="product:retailer_item_id" content="M-9"><meta property="product:price:amount" content="12.5"><meta property="product:price:currency" content="EUR">`;
    expect((await run())[0]!.body).toMatchObject({ productId: 'M-9', name: 'Mug', price: 12.5, currency: 'EUR' });
    uninstall();
    document.head.innerHTML = '';
    document.body.innerHTML = `<div class="cn_product_visited" style="display:none"><span class="product_id">P7</span><span class="name">Bag</span><span class="unit_price">80</span></div>`;
    expect((await run())[0]!.body).toMatchObject({ productId: 'P7', name: 'Bag', price: 80 });
  });

  it('counts GA4 view_item, but not again for the page product', async () => {
    document.head.innerHTML = ld({ '@type': 'Product', sku: 'RS-42', name: 'Red shoe' });
    (window as any).dataLayer.push({ event: 'view_item', ecommerce: { currency: 'EUR', items: [{ item_id: 'RS-42', price: 59.9 }] } });
    (window as any).dataLayer.push({ event: 'view_item', ecommerce: { currency: 'EUR', items: [{ item_id: 'QV-1', item_name: 'Quick view', price: 9 }] } });
    const tracked = await run();
    expect(tracked.map((t) => t.body.productId)).toEqual(['RS-42', 'QV-1']);
    expect(tracked[1]!.body).toEqual({ productId: 'QV-1', name: 'Quick view', price: 9, currency: 'EUR' });
  });

  it('tracks nothing on a page without a product', async () => {
    document.head.innerHTML = `${ld({ '@type': 'Organization', name: 'Shop' })}<script type="application/ld+json">{broken</script>`;
    expect(await run()).toEqual([]);
  });
});

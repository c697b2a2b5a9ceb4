import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cartRequests, GA4_WAIT_MS, install } from '../../../src/capture/cart';
import { at, fakeCore } from '../support/core';

/** Request-observed changes wait GA4_WAIT_MS for a GA4 push describing the same add: move the (fake) clock past it. */
const settled = async () => {
  for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(GA4_WAIT_MS);
};

// The page's own fetch and XHR, installed before the observer wraps them.
let answer: () => Promise<Response> = async () => new Response('{}');
const pageFetch = function (this: unknown) {
  return answer();
};
window.fetch = pageFetch as typeof fetch;
class PageXHR extends EventTarget {
  status = 0;
  responseType = '';
  responseText = '';
  open() {}
  send() {
    setTimeout(() => {
      this.status = xhrStatus;
      this.responseText = '{}';
      this.dispatchEvent(new Event('loadend'));
    });
  }
}
let xhrStatus = 200;
(window as any).XMLHttpRequest = PageXHR;

const reqs = (url: string, body?: unknown) => cartRequests(new URL(url, 'https://s.example/'), body);
/** The one change a request describes. */
const req = (url: string, body?: unknown) => {
  const found = reqs(url, body);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
};

describe('cart routes of the platforms', () => {
  it('reads Shopify adds (JSON, form-encoded, items list) and changes to 0', () => {
    expect(req('/cart/add.js', JSON.stringify({ id: 4011, quantity: 2 }))).toEqual(['add', { productId: '4011', variantId: '4011', quantity: 2 }]);
    expect(req('/cart/add.js', JSON.stringify({ items: [{ id: 7, quantity: 1 }] }))?.[1].variantId).toBe('7');
    expect(
      reqs(
        '/cart/add.js',
        JSON.stringify({
          items: [
            { id: 7, quantity: 1 },
            { id: 8, quantity: 3 },
          ],
        }),
      ),
    ).toEqual([
      ['add', { productId: '7', variantId: '7', quantity: 1 }],
      ['add', { productId: '8', variantId: '8', quantity: 3 }],
    ]);
    expect(
      reqs('/api/storefront/carts', {
        lineItems: [
          { productId: 77, quantity: 1 },
          { productId: 78, quantity: 2 },
        ],
      }).map(([, c]) => c.productId),
    ).toEqual(['77', '78']);
    expect(req('/cart/add', 'id=9&quantity=3&properties%5BNote%5D=secret')).toEqual(['add', { productId: '9', variantId: '9', quantity: 3 }]);
    expect(req('/cart/change.js', JSON.stringify({ id: '4011:abc', quantity: 0 }))).toEqual(['remove', { productId: '4011', variantId: '4011' }]);
    expect(req('/cart/change.js', JSON.stringify({ id: '4011', quantity: 2 }))).toBeUndefined();
  });

  it('reads WooCommerce, Magento, PrestaShop and BigCommerce', () => {
    expect(req('/?wc-ajax=add_to_cart', 'product_id=55&quantity=1')?.[1]).toMatchObject({ productId: '55', quantity: 1 });
    expect(req('/shop/?add-to-cart=56')?.[1].productId).toBe('56');
    document.body.innerHTML = `<a class="remove_from_cart_button" data-product_id="55" data-cart_item_key="k1">×</a>`;
    expect(req('/?wc-ajax=remove_from_cart', 'cart_item_key=k1')).toEqual(['remove', { productId: '55' }]);
    expect(req('/checkout/cart/add/uenc/aHR0/product/123/', 'product=123&qty=2&selected_configurable_option=456')).toEqual([
      'add',
      { productId: '123', variantId: '456', quantity: 2 },
    ]);
    expect(req('/index.php?controller=cart', 'id_product=8&id_product_attribute=31&qty=1&add=1')).toEqual(['add', { productId: '8', variantId: '31', quantity: 1 }]);
    expect(req('/en/cart', 'id_product=8&delete=1')?.[0]).toBe('remove');
    expect(req('/cart.php?action=add&product_id=77')?.[1].productId).toBe('77');
    expect(req('/cart')).toBeUndefined();
  });

  it('reads PrestaShop 1.7 on its localised cart routes, by the product and token the request carries', () => {
    const add = 'token=4b8e2c1d7a&id_product=1&id_customization=0&group%5B1%5D=2&qty=2&add=1&action=update';
    for (const route of ['/fr/panier', '/es/carrito', '/de/warenkorb', '/it/carrello']) {
      expect(req(route, add), route).toEqual(['add', { productId: '1', quantity: 2 }]);
    }
    expect(req('/fr/panier?delete=1&id_product=1&id_product_attribute=2&token=4b8e2c1d7a', 'ajax=1&action=update')).toEqual([
      'remove',
      { productId: '1', variantId: '2' },
    ]);
    expect(req('/fr/contact', 'id_product=1&message=hi')).toBeUndefined();
  });

  it("resolves a Shopify removal by line number from the cart row of Dawn's drawer", () => {
    document.body.innerHTML = `<cart-drawer><table><tbody>
      <tr id="CartDrawer-Item-1" class="cart-item"><td><a href="/products/blue-sock?variant=40200" class="cart-item__name">Blue Sock</a></td>
        <td><input class="quantity__input" type="number" name="updates[]" value="1" data-quantity-variant-id="40200" data-index="1"></td></tr>
      <tr id="CartDrawer-Item-2" class="cart-item"><td><a href="/products/red-shoe?variant=40112" class="cart-item__name">Red Shoe</a></td></tr>
    </tbody></table></cart-drawer>`;
    expect(req('/cart/change', JSON.stringify({ line: 1, quantity: 0, sections: ['cart-drawer'] }))).toEqual(['remove', { productId: '40200', variantId: '40200' }]);
    expect(req('/cart/change', 'line=2&quantity=0')).toEqual(['remove', { productId: '40112', variantId: '40112' }]);
    expect(req('/cart/change', JSON.stringify({ line: 3, quantity: 0 }))).toBeUndefined();
    expect(req('/cart/change', JSON.stringify({ line: 1, quantity: 2 }))).toBeUndefined();
  });
});

describe('cart capture', () => {
  let uninstall: () => void;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    at('https://s.example/products/x');
    (window as any).dataLayer = [];
    document.body.innerHTML = '';
    answer = async () => new Response('{}');
    xhrStatus = 200;
  });
  afterEach(() => {
    uninstall?.();
    vi.useRealTimers();
  });
  const start = () => {
    const fake = fakeCore();
    uninstall = install(fake.core) as () => void;
    return fake;
  };

  it('leaves fetch invisible: the same promise, Response and error reach the page', async () => {
    start();
    const response = new Response('{"ok":1}');
    answer = async () => response;
    const promise = fetch('/cart/add.js', { method: 'POST', body: '{"id":1}' });
    expect(await promise).toBe(response);
    expect(await response.json()).toEqual({ ok: 1 }); // the page can still read the body
    const failure = new TypeError('offline');
    answer = async () => Promise.reject(failure);
    await expect(fetch('/cart/add.js', { method: 'POST', body: '{"id":2}' })).rejects.toBe(failure);
  });

  it('counts a successful Shopify add once, not a failed one', async () => {
    const { tracked } = start();
    answer = async () => new Response('{"status":422}', { status: 422 });
    await fetch('/cart/add.js', { method: 'POST', body: '{"id":1,"quantity":1}' });
    answer = async () => new Response('{"id":2}');
    await fetch('/cart/add.js', { method: 'POST', body: '{"id":2,"quantity":2}' });
    await settled();
    expect(tracked).toEqual([{ type: 'cart-product-added', body: { productId: '2', variantId: '2', quantity: 2 } }]);
  });

  it('counts every line of a Shopify multi-item add, each with its product id and price from the answer', async () => {
    const { tracked } = start();
    answer = async () =>
      new Response(
        JSON.stringify({
          items: [
            { variant_id: 12, product_id: 1200, final_price: 1950 },
            { variant_id: 13, product_id: 1300, price: 800 },
          ],
        }),
      );
    await fetch('/cart/add.js', {
      method: 'POST',
      body: JSON.stringify({
        items: [
          { id: 12, quantity: 1 },
          { id: 13, quantity: 2 },
        ],
      }),
    });
    await settled();
    expect(tracked).toEqual([
      { type: 'cart-product-added', body: { productId: '1200', variantId: '12', quantity: 1, price: 19.5 } },
      { type: 'cart-product-added', body: { productId: '1300', variantId: '13', quantity: 2, price: 8 } },
    ]);
  });

  it('counts a PrestaShop add and delete sent to a localised route', async () => {
    const { tracked } = start();
    await fetch('/fr/panier', { method: 'POST', body: 'token=4b8e&id_product=8&id_customization=0&qty=1&add=1&action=update' });
    await fetch('/fr/panier?delete=1&id_product=9&id_product_attribute=3&token=4b8e', { method: 'POST', body: 'ajax=1&action=update' });
    await settled();
    expect(tracked).toEqual([
      { type: 'cart-product-added', body: { productId: '8', quantity: 1 } },
      { type: 'cart-product-removed', body: { productId: '9', variantId: '3', quantity: 1 } },
    ]);
  });

  it('resolves a Shopify removal by line from the last cart the store fetched', async () => {
    const { tracked } = start();
    const cart = {
      item_count: 3,
      currency: 'EUR',
      items: [
        { variant_id: 40200, product_id: 7100 },
        { variant_id: 40112, product_id: 7001 },
      ],
    };
    answer = async () => new Response(JSON.stringify(cart));
    await fetch('/cart.js');
    await settled();
    answer = async () => new Response(JSON.stringify({ ...cart, items: [cart.items[0]] }));
    await fetch('/cart/change', { method: 'POST', body: JSON.stringify({ line: 2, quantity: 0 }) });
    await settled();
    // the answer is the cart after the removal: line 1 is still the sock
    await fetch('/cart/change', { method: 'POST', body: JSON.stringify({ line: 1, quantity: 0 }) });
    await settled();
    expect(tracked).toEqual([
      { type: 'cart-product-removed', body: { productId: '7001', variantId: '40112', quantity: 1 } },
      { type: 'cart-product-removed', body: { productId: '7100', variantId: '40200', quantity: 1 } },
    ]);
  });

  it("gives a Shopify add priced in its answer the page's currency", async () => {
    (window as any).Shopify = { currency: { active: 'EUR', rate: '1.0' } };
    const { tracked } = start();
    answer = async () => new Response(JSON.stringify({ id: 40112, variant_id: 40112, product_id: 7001, price: 5990, final_price: 5990, quantity: 1 }));
    await fetch('/cart/add', { method: 'POST', body: new URLSearchParams('id=40112&quantity=1') });
    await settled();
    delete (window as any).Shopify;
    expect(tracked).toEqual([{ type: 'cart-product-added', body: { productId: '7001', variantId: '40112', quantity: 1, price: 59.9, currency: 'EUR' } }]);
  });

  it('does not count a WooCommerce add answered with an error', async () => {
    const { tracked } = start();
    answer = async () => new Response('{"error":true,"product_url":"/p"}');
    await fetch('/?wc-ajax=add_to_cart', { method: 'POST', body: new URLSearchParams('product_id=5&quantity=1') });
    await settled();
    expect(tracked).toEqual([]);
  });

  it('observes XHR cart requests and ignores failed ones', async () => {
    const { tracked } = start();
    const send = (body: string) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/index.php?controller=cart');
      xhr.send(body);
    };
    xhrStatus = 500;
    send('id_product=8&qty=1&add=1');
    await settled();
    xhrStatus = 200;
    send('id_product=9&qty=1&add=1');
    await settled();
    expect(tracked.map((t) => t.body.productId)).toEqual(['9']);
  });

  it('counts GA4 adds and removes, including pushes made before load, once with a matching request', async () => {
    (window as any).dataLayer.push({
      event: 'add_to_cart',
      ecommerce: { currency: 'EUR', items: [{ item_id: 'SKU1', item_variant: '11', price: 5, quantity: 2 }] },
    });
    const { tracked } = start();
    await fetch('/cart/add.js', { method: 'POST', body: '{"id":11,"quantity":2}' }); // the same add
    (window as any).dataLayer.push(['event', 'remove_from_cart', { items: [{ item_id: 'SKU2' }] }]);
    await settled();
    expect(tracked).toEqual([
      { type: 'cart-product-added', body: { productId: 'SKU1', variantId: '11', quantity: 2, price: 5, currency: 'EUR' } },
      { type: 'cart-product-removed', body: { productId: 'SKU2', quantity: 1 } },
    ]);
  });

  it('counts data-shoptrail-cart buttons and cart forms that navigate, not prevented ones', async () => {
    document.body.innerHTML = `
      <button data-shoptrail-cart="add" data-shoptrail-product-id="P1" data-shoptrail-quantity="2" data-shoptrail-price="9.5" data-shoptrail-currency="EUR">Add</button>
      <form id="f1" method="post" action="/cart/add"><input name="id" value="77"><input name="quantity" value="1"></form>
      <form id="f2" method="post" action="/cart/add"><input name="id" value="78"></form>`;
    const { tracked } = start();
    document.querySelector('button')!.click();
    const submit = (id: string, prevent: boolean) => {
      const form = document.getElementById(id)!;
      if (prevent) form.addEventListener('submit', (e) => e.preventDefault(), { once: true });
      form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    };
    submit('f1', false);
    submit('f2', true);
    await settled();
    expect(tracked).toEqual([
      { type: 'cart-product-added', body: { productId: 'P1', quantity: 2, price: 9.5, currency: 'EUR' } },
      { type: 'cart-product-added', body: { productId: '77', variantId: '77', quantity: 1 } },
    ]);
  });
});

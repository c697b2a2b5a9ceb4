// A faithful stub of Shopify's Web Pixels API in a Web Worker (no DOM, as Shopify's sandbox):
// `analytics.subscribe(name, cb)`, `browser.cookie` and `browser.localStorage` (async get/set),
// `init` with `context` and `data`. The page posts `{ name, data }`; the stub publishes each as
// Shopify does: `{ id, name, type, timestamp, clientId, context, data }` to its subscribers.
/* global importScripts, shoptrailPixel */
const subscribers = {};
const storage = new Map();
const asyncStorage = () => ({
  getItem: async (key) => (storage.has(key) ? storage.get(key) : null),
  setItem: async (key, value) => void storage.set(key, String(value)),
  removeItem: async (key) => void storage.delete(key),
  key: async (index) => [...storage.keys()][index] ?? null,
  length: async () => storage.size,
  clear: async () => storage.clear(),
});
const context = {
  document: { location: { href: 'https://shop.example/checkouts/cn/1', pathname: '/checkouts/cn/1', origin: 'https://shop.example' }, title: 'Checkout', referrer: '' },
  navigator: { language: 'fr-FR', userAgent: self.navigator.userAgent, cookieEnabled: true },
  window: { innerHeight: 800, innerWidth: 1200, location: { href: 'https://shop.example/checkouts/cn/1' } },
};
self.analytics = {
  subscribe(name, callback) {
    (subscribers[name] = subscribers[name] || []).push(callback);
    return Promise.resolve(true);
  },
};
self.browser = {
  cookie: { get: async () => '', set: async () => {} },
  localStorage: asyncStorage(),
  sessionStorage: asyncStorage(),
};
self.init = {
  context,
  data: { customer: null, cart: null, shop: { name: 'Demo', myshopifyDomain: 'demo.myshopify.com', paymentSettings: { currencyCode: 'EUR' } } },
  customerPrivacy: { analyticsProcessingAllowed: true, marketingAllowed: false },
};

let pixel;
let sequence = 0;
self.onmessage = async ({ data: message }) => {
  if (message.start) {
    importScripts(message.script);
    pixel = shoptrailPixel(message.options);
    self.postMessage({ started: true });
    return;
  }
  if (message.flush) {
    await pixel.flush();
    self.postMessage({ log: pixel.log, stored: storage.get('shoptrail.pixel.queue') ?? null });
    return;
  }
  const event = { id: `sh-${++sequence}`, name: message.name, type: 'standard', timestamp: new Date().toISOString(), clientId: 'shopify-client-1', context, data: message.data };
  for (const callback of subscribers[message.name] || []) callback(event);
  self.postMessage({ published: message.name });
};

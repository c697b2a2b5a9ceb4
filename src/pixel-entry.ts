// dist/shopify-pixel.js: pasted into Shopify's admin (Settings → Customer events → Add custom
// pixel), followed by `shoptrailPixel({ endpoint, writeKey, entity })`. The sandbox gives the
// pixel `analytics`, `browser` and `init` as globals (docs/integrations.md).
import { startPixel } from './pixel/index';
import type { TrackerOptions } from './types';

const g = globalThis as any;
g.shoptrailPixel = (options: TrackerOptions) => startPixel(options, { analytics: g.analytics, browser: g.browser, init: g.init });

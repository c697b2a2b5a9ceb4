// The parts a default tracker installs besides its core. Capture modules and cost accounting
// register here; `createTracker` from the package and the script tag both use this list.
import * as cart from './capture/cart';
import * as content from './capture/content';
import * as forms from './capture/forms';
import * as links from './capture/links';
import * as pages from './capture/pages';
import * as products from './capture/products';
import * as purchases from './capture/purchases';
import * as search from './capture/search';
import * as vitals from './capture/vitals';
import type { Config } from './config';
import { ledger } from './ledger';
import type { Plugin } from './tracker';

/** A capture kind, installed only when `capture` and its own option are on. */
const capture =
  (option: keyof Config, kind: { install: Plugin }): Plugin =>
  (core) =>
    core.config.capture && core.config[option] ? kind.install(core) : undefined;

export const modules: Plugin[] = [
  ledger, // first, so it counts what the capture modules track from their start
  capture('capturePages', pages),
  capture('captureSearch', search),
  capture('captureProducts', products),
  capture('captureCart', cart),
  capture('capturePurchases', purchases),
  capture('captureForms', forms),
  capture('captureContent', content),
  capture('captureLinks', links),
  capture('captureVitals', vitals),
];

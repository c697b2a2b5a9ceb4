// The capture kinds loaded after start-up (src/modules.ts), by the option that switches each.
// Page visits are not here: they count the load itself and stay in the main bundle.
import type { Config } from '../config';
import { install as use, type Plugin } from '../plugin';
import * as cart from './cart';
import * as content from './content';
import * as forms from './forms';
import * as links from './links';
import * as products from './products';
import * as purchases from './purchases';
import * as search from './search';
import * as vitals from './vitals';

const kinds: Partial<Record<keyof Config, Plugin>> = {
  captureSearch: search.install,
  captureProducts: products.install,
  captureCart: cart.install,
  capturePurchases: purchases.install,
  captureForms: forms.install,
  captureContent: content.install,
  captureLinks: links.install,
  captureVitals: vitals.install,
};

/** Every kind its option switches on. */
export const install: Plugin = (core) => {
  const undos = Object.entries(kinds)
    .filter(([option]) => core.config[option as keyof Config])
    .map(([, kind]) => use(core, kind));
  return () => undos.forEach((undo) => undo());
};

// The capture kinds loaded after start-up (src/modules.ts), by the option that switches each.
// Page visits are not here: they count the load itself and stay in the main bundle.
import * as cart from './cart';
import * as content from './content';
import * as forms from './forms';
import * as links from './links';
import * as products from './products';
import * as purchases from './purchases';
import * as search from './search';
import * as vitals from './vitals';

export const kinds = {
  captureSearch: search.install,
  captureProducts: products.install,
  captureCart: cart.install,
  capturePurchases: purchases.install,
  captureForms: forms.install,
  captureContent: content.install,
  captureLinks: links.install,
  captureVitals: vitals.install,
};

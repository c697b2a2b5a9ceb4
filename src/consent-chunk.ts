// The consent-platform chunk (dist/shoptrail-consent.js): TCF, Consent Mode and Shopify's Customer
// Privacy API, loaded next to shoptrail.js only when `consentPlatform` names one (src/modules.ts).
import { install } from './consent-platforms/index';

(window as any).shoptrail_consent = { install };

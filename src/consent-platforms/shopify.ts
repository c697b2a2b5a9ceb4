// Shopify's Customer Privacy API: `window.Shopify.customerPrivacy` (loaded on demand with
// `Shopify.loadFeatures`), `analyticsProcessingAllowed()`, `marketingAllowed()`, and the
// `visitorConsentCollected` event on document when the shopper answers the banner. While the
// banner is unanswered where it is required, both are unknown.
import { listen } from '../lib/later';
import type { Platform, Purposes } from './purposes';

interface CustomerPrivacy {
  analyticsProcessingAllowed(): boolean;
  marketingAllowed(): boolean;
  currentVisitorConsent?(): { analytics?: string; marketing?: string };
}
type ShopifyGlobal = { customerPrivacy?: CustomerPrivacy; loadFeatures?: (features: unknown[], callback: (error?: unknown) => void) => void };

/** A purpose: allowed; refused when the shopper said no; else unknown. */
const purpose = (allowed: boolean, answer: string | undefined): boolean | undefined => (allowed ? true : answer === 'no' ? false : undefined);

const readApi = (api: CustomerPrivacy): Purposes => {
  const answers = api.currentVisitorConsent?.() ?? {};
  return { analytics: purpose(api.analyticsProcessingAllowed(), answers.analytics), marketing: purpose(api.marketingAllowed(), answers.marketing) };
};

export const shopify: Platform = (report) => {
  const shop = () => (window as unknown as { Shopify?: ShopifyGlobal }).Shopify;
  const now = () => {
    const api = shop()?.customerPrivacy;
    if (api) report(readApi(api));
  };
  if (shop()?.customerPrivacy) now();
  else shop()?.loadFeatures?.([{ name: 'consent-tracking-api', version: '0.1' }], (error) => error || now());
  return listen(document, 'visitorConsentCollected', (event) => {
    const detail = (event as CustomEvent<{ analyticsAllowed?: boolean; marketingAllowed?: boolean }>).detail ?? {};
    report({ analytics: detail.analyticsAllowed, marketing: detail.marketingAllowed });
  });
};

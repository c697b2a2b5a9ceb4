// src/consent-platforms/{tcf,gcm,shopify}.ts: what each platform's signals are read as.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gcm } from '../../../src/consent-platforms/gcm';
import type { Purposes } from '../../../src/consent-platforms/purposes';
import { shopify } from '../../../src/consent-platforms/shopify';
import { tcf } from '../../../src/consent-platforms/tcf';

const w = window as any;
afterEach(() => {
  delete w.dataLayer;
  delete w.__tcfapi;
  delete w.Shopify;
  vi.useRealTimers();
});

describe('Consent Mode v2', () => {
  it('holds on a default "denied", follows updates, and reads pushes made before it started', () => {
    const seen: Purposes[] = [];
    const gtag = (...args: unknown[]) => w.dataLayer.push(args);
    w.dataLayer = [];
    gtag('consent', 'default', { analytics_storage: 'denied', ad_storage: 'denied', ad_user_data: 'denied' });
    const undo = gcm((p) => seen.push(p));
    expect(seen).toEqual([{ analytics: undefined, marketing: undefined }]);
    gtag('consent', 'update', { analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'denied' });
    expect(seen.at(-1)).toEqual({ analytics: true, marketing: false });
    gtag('consent', 'default', { analytics_storage: 'denied' }); // a late default never overrides an update
    expect(seen.at(-1)).toEqual({ analytics: true, marketing: false });
    gtag('event', 'page_view', {}); // not a consent command: nothing to report
    expect(seen).toHaveLength(3);
    undo();
  });
});

describe('TCF v2.2', () => {
  const cmp = (data: Record<string, unknown>) => {
    w.__tcfapi = (command: string, _version: number, cb: (data: unknown, ok: boolean) => void) =>
      command === 'addEventListener' && cb({ listenerId: 1, ...data }, true);
  };

  it('reads purposes 1 and 8 as analytics, 1–4 as marketing, once the shopper answered', () => {
    const seen: Purposes[] = [];
    cmp({ gdprApplies: true, eventStatus: 'useractioncomplete', purpose: { consents: { 1: true, 8: true }, legitimateInterests: {} } });
    tcf((p) => seen.push(p))();
    cmp({ gdprApplies: true, eventStatus: 'cmpuishown', purpose: { consents: {} } });
    tcf((p) => seen.push(p))();
    cmp({ gdprApplies: false, eventStatus: 'tcloaded' });
    tcf((p) => seen.push(p))();
    expect(seen).toEqual([
      { analytics: true, marketing: false },
      { analytics: true, marketing: true },
    ]);
  });

  it('waits for a CMP whose stub comes later', () => {
    vi.useFakeTimers();
    const seen: Purposes[] = [];
    const undo = tcf((p) => seen.push(p));
    cmp({ gdprApplies: true, eventStatus: 'tcloaded', purpose: { consents: { 1: true, 2: true, 3: true, 4: true, 8: true } } });
    vi.advanceTimersByTime(300);
    expect(seen).toEqual([{ analytics: true, marketing: true }]);
    undo();
  });
});

describe('Shopify Customer Privacy', () => {
  it('is unknown until answered, then follows visitorConsentCollected', () => {
    const seen: Purposes[] = [];
    w.Shopify = {
      customerPrivacy: { analyticsProcessingAllowed: () => false, marketingAllowed: () => false, currentVisitorConsent: () => ({ analytics: '', marketing: '' }) },
    };
    const undo = shopify((p) => seen.push(p));
    document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { analyticsAllowed: true, marketingAllowed: false } }));
    expect(seen).toEqual([
      { analytics: undefined, marketing: undefined },
      { analytics: true, marketing: false },
    ]);
    undo();
  });
});

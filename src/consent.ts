// Consent: what the site (or the browser's privacy signals) allow. The stored decision is the
// shopper's own choice and is kept across pages; an explicit call always wins over signals.
import type { Config } from './config';
import { readJson, removeKey, writeJson } from './lib/storage';
import type { ConsentState } from './types';

/** Global Privacy Control, where the browser sends it (Firefox, Brave, extensions). */
const gpc = (): boolean => (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
const dnt = (): boolean =>
  navigator.doNotTrack === '1' || (window as Window & { doNotTrack?: string }).doNotTrack === '1';

export const consentKey = (config: Config) => `${config.name}.consent`;

/** The state a page starts in. */
export const initialConsent = (config: Config): ConsentState => {
  const stored = readJson<ConsentState>(consentKey(config));
  if (stored === 'granted' || stored === 'denied') return stored;
  if (config.respectGpc && gpc()) return 'denied';
  if (config.respectDnt && dnt()) return 'denied';
  return config.requireConsent ? 'pending' : 'granted';
};

export const storeConsent = (config: Config, state: 'granted' | 'denied'): void => {
  if (!writeJson(consentKey(config), state)) removeKey(consentKey(config));
};

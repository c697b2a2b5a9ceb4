// Consent: what the site (or the browser's privacy signals) allow, and the events held in
// memory while it is pending. Owns the consent state and the held events; the stored decision
// (`<name>.consent` in localStorage) is the shopper's own choice, kept across pages, and an
// explicit call always wins over signals.
import type { Config } from './config';
import type { Envelope } from './envelope';
import { readJson, removeKey, writeJson } from './lib/storage';
import type { ConsentState } from './types';

/** Events held in memory while consent is pending; the oldest go beyond this. */
const HELD_LIMIT = 500;

/** Global Privacy Control, where the browser sends it (Firefox, Brave, extensions). */
const gpc = (): boolean => (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
// (window.doNotTrack was IE's and old Edge's, outside the browsers we build for: esbuild.config.mjs)
const dnt = (): boolean => navigator.doNotTrack === '1';

/** The state a page starts in. */
const initialConsent = (config: Config, key: string): ConsentState => {
  const stored = readJson<ConsentState>(key);
  if (stored === 'granted' || stored === 'denied') return stored;
  if (config.respectGpc && gpc()) return 'denied';
  if (config.respectDnt && dnt()) return 'denied';
  // A consent platform answers for the shopper: nothing is stored until it does.
  return config.requireConsent || config.consentPlatform ? 'pending' : 'granted';
};

export interface Consent {
  state(): ConsentState;
  /** Events held until consent is given, oldest first. */
  readonly held: Envelope[];
  /** Hold an event until consent is given; returns the oldest one it pushed out, if any. */
  hold(event: Envelope): Envelope[];
  /** The shopper decided: store it, and tell `changed` with the events released from hold. */
  decide(state: 'granted' | 'denied'): void;
}

export const createConsent = (config: Config, changed: (state: ConsentState, held: Envelope[]) => void): Consent => {
  const key = `${config.name}.consent`;
  let state = initialConsent(config, key);
  const held: Envelope[] = [];
  return {
    state: () => state,
    held,
    hold: (event) => (held.push(event) > HELD_LIMIT ? held.splice(0, 1) : []),
    decide(next) {
      if (!writeJson(key, next)) removeKey(key);
      if (next === state) return;
      state = next;
      changed(next, held.splice(0));
    },
  };
};

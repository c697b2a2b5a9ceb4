// The parts a default tracker installs besides delivery: cost accounting and autocapture.
// `createTracker` from the package and the script tag both use this list.
import * as pages from './capture/pages';
import { guards } from './guards';
import { ledger } from './ledger';
import { lazy } from './lazy';
import type { Plugin } from './plugin';

declare const __CHUNKS__: boolean | undefined;

/**
 * Cost accounting: the guards at once (they must act on the first event); the ledger too in the
 * npm build, and with delivery in the background chunk in the script tag (src/lazy.ts).
 */
// (each test of __CHUNKS__ is written out: esbuild drops a dead import only where it sees the constant)
export const accounting: Plugin =
  typeof __CHUNKS__ != 'undefined' && __CHUNKS__
    ? guards
    : (core) => {
        const undos = [guards(core), ledger(core)];
        return () => undos.forEach((undo) => undo?.());
      };

/**
 * Autocapture: page visits at once (the load itself is one), every other kind from the capture
 * chunk loaded after start-up — dist/shoptrail-capture.js next to shoptrail.js in the script-tag
 * build, a dynamic import in the npm build. `capture` and each kind's option switch them.
 */
// (undefined `load`: the chunk of that name)
const later = lazy('capture', 'only page visits are captured', [], typeof __CHUNKS__ != 'undefined' && __CHUNKS__ ? undefined : () => import('./capture/index'));

export const capture: Plugin = (core) => {
  if (!core.config.capture) return;
  const undos = [core.config.capturePages ? pages.install(core) : undefined, later(core)];
  return () => undos.forEach((undo) => undo?.());
};

/**
 * Consent platforms (TCF, Consent Mode, Shopify), only for a store that names one: the chunk
 * dist/shoptrail-consent.js in the script-tag build, a dynamic import in the npm build.
 */
const platforms = lazy(
  'consent',
  'consent stays pending',
  [],
  typeof __CHUNKS__ != 'undefined' && __CHUNKS__ ? undefined : () => import('./consent-platforms/index'),
);
export const consentPlatforms: Plugin = (core) => (core.config.consentPlatform ? platforms(core) : undefined);

export const modules: Plugin[] = [
  accounting, // first, so the guards see what the capture modules track from their start
  consentPlatforms,
  capture,
];

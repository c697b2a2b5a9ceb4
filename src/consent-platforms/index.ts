// The consent platforms a store names in `consentPlatform` ("tcf", "gcm", "shopify", several
// comma-separated), loaded only then (src/modules.ts: dist/shoptrail-consent.js for the script
// tag). Each reading decides the tracker's consent (analytics) and the marketing guard
// (src/consent-platforms/purposes.ts); with several platforms, the latest reading wins.
import type { Plugin } from '../plugin';
import { gcm } from './gcm';
import { applyPurposes, type Platform } from './purposes';
import { shopify } from './shopify';
import { tcf } from './tcf';

const platforms: Record<string, Platform> = { tcf, gcm, shopify };

export const install: Plugin = (core) => {
  const names = core.config.consentPlatform.split(',').map((name) => name.trim().toLowerCase());
  const { report, undo } = applyPurposes(core);
  const undos = [undo];
  for (const name of names) {
    const platform = platforms[name];
    if (platform) undos.push(platform(report));
    else core.warn(`consent-platform:${name}`, `unknown consent platform "${name.slice(0, 50)}" (tcf, gcm or shopify)`);
  }
  return () => undos.forEach((fn) => fn());
};

// Debian's Chromium driven by playwright-core. Never a downloaded browser: CI machines reach
// only the npm registry and apt. `launch` gives every browser a fresh temporary profile.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The user agent of Chrome itself: headless Chromium says "HeadlessChrome", which the collector
 * classifies as a bot (src/collector/bots.ts) and bills nothing for. Tests of bots set theirs.
 */
export const DESKTOP_CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

export const CHROMIUM_FLAGS = [
  `--user-agent=${DESKTOP_CHROME_UA}`,
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
};

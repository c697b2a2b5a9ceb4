// The background chunk (dist/shoptrail-background.js): delivery and the ledger, which work only
// after start-up. It exports one `install`, which src/lazy.ts calls once the chunk loaded. The
// same file runs as the sender worker (src/sender.ts), where it only answers the page's requests.
import { unlessAutomated } from './automation';
import { delivery } from './delivery';
import { ledger } from './ledger';
import type { Plugin } from './plugin';
import { senderFrom, serve } from './sender';

const install: Plugin = (core) => {
  const undos = [unlessAutomated(delivery)(core), ledger(core)];
  return () => undos.forEach((undo) => undo?.());
};

if (typeof document == 'undefined') serve();
else {
  senderFrom((document.currentScript as HTMLScriptElement | null)?.src);
  (window as any).shoptrail_background = { install };
}

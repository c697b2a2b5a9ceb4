// The background chunk (dist/shoptrail-background.js): delivery and the ledger, which work only
// after start-up. It exports one `install`, which src/lazy.ts calls once the chunk loaded.
import { unlessAutomated } from './automation';
import { delivery } from './delivery';
import { ledger } from './ledger';
import type { Plugin } from './plugin';

const install: Plugin = (core) => {
  const undos = [unlessAutomated(delivery)(core), ledger(core)];
  return () => undos.forEach((undo) => undo?.());
};

(window as any).shoptrail_background = { install };

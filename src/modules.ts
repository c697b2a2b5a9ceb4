// The parts a default tracker installs besides its core. Capture modules and cost accounting
// register here; `createTracker` from the package and the script tag both use this list.
import * as pages from './capture/pages';
import type { Config } from './config';
import { ledger } from './ledger';
import { loadChunk } from './lib/chunk';
import type { Plugin } from './tracker';

type Kinds = Partial<Record<keyof Config, Plugin>>;
declare const __CHUNKS__: boolean | undefined;

/**
 * Autocapture: page visits at once (the load itself is one), every other kind from the capture
 * chunk loaded after start-up — dist/shoptrail-capture.js next to shoptrail.js in the script-tag
 * build, a dynamic import in the npm build. `capture` and each kind's option switch them.
 */
const capture: Plugin = (core) => {
  const config = core.config;
  if (!config.capture) return;
  const undo: Array<() => void> = [];
  let stopped = false;
  if (config.capturePages) undo.push(pages.install(core));
  // (the test of __CHUNKS__ stays here: esbuild drops the dead import only within one module)
  const load: Promise<Kinds> =
    typeof __CHUNKS__ != 'undefined' && __CHUNKS__ ? loadChunk('capture') : import('./capture/index').then((m) => m.kinds);
  load.then(
    (kinds) => {
      for (const [option, install] of Object.entries(kinds) as [keyof Config, Plugin][]) {
        if (stopped || !config[option]) continue;
        try {
          const uninstall = install(core);
          if (uninstall) undo.push(uninstall);
        } catch (error) {
          core.emit('error', { code: 'internal', message: `${option} failed to start: ${error}` });
        }
      }
    },
    () => core.emit('warning', { code: 'capture-chunk', message: 'shoptrail-capture.js did not load: only page visits are captured' }),
  );
  return () => {
    stopped = true;
    undo.forEach((fn) => fn());
  };
};

export const modules: Plugin[] = [
  ledger, // first, so it counts what the capture modules track from their start
  capture,
];

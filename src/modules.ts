// The parts a default tracker installs besides its core. Capture modules and cost accounting
// register here; `createTracker` from the package and the script tag both use this list.
import * as pages from './capture/pages';
import type { Config } from './config';
import { guards } from './guards';
import { ledger } from './ledger';
import { loadChunk } from './lib/chunk';
import type { Plugin, TrackerCore } from './tracker';

type Kinds = Partial<Record<keyof Config, Plugin>>;
declare const __CHUNKS__: boolean | undefined;

/**
 * Install what a chunk brings once it has loaded, unless the tracker stopped meanwhile.
 * Returns the uninstall, and a promise settled once the plugins are in (or failed to load).
 */
const installLater = (core: TrackerCore, load: Promise<Plugin[]>, undo: Array<() => void>, onFail: () => void) => {
  let stopped = false;
  const installed = load.then((plugins) => {
    for (const install of plugins) {
      if (stopped) return;
      try {
        const uninstall = install(core);
        if (uninstall) undo.push(uninstall);
      } catch (error) {
        core.emit('error', { code: 'internal', message: `a module failed to start: ${error}` });
      }
    }
  }, onFail);
  const uninstall = () => {
    stopped = true;
    undo.splice(0).forEach((fn) => fn());
  };
  return { installed, uninstall };
};

/**
 * Cost accounting: the guards at once (they must act on the first event), the ledger from the
 * background chunk (dist/shoptrail-background.js) in the script tag. The ledger counts what
 * happened before it arrived from the tracker's backlog; `usage()` waits for it.
 */
export const accounting: Plugin = (core) => {
  const undo = [guards(core)!];
  // (each test of __CHUNKS__ is written out: esbuild drops a dead import only where it sees the constant)
  if (!(typeof __CHUNKS__ != 'undefined' && __CHUNKS__)) {
    undo.push(ledger(core)!);
    return () => undo.forEach((fn) => fn());
  }
  const base = core.usage;
  let later: ReturnType<typeof installLater>;
  const attempt = () => {
    const load = loadChunk('background').then((chunk: { ledger: Plugin }) => {
      core.usage = base; // the ledger wraps the tracker's own
      return [chunk.ledger];
    });
    later = installLater(core, load, undo, () => {
      core.usage = base; // (the tracker warns: its delivery comes in the chunk too)
      // The tracker asks for the chunk again (flush, back online); once it delivers, count again.
      const off = core.on('batch', () => (off(), attempt()));
      undo.push(off);
    });
    core.usage = () => later.installed.then(() => core.usage());
  };
  attempt();
  return () => later.uninstall();
};

/**
 * Autocapture: page visits at once (the load itself is one), every other kind from the capture
 * chunk loaded after start-up — dist/shoptrail-capture.js next to shoptrail.js in the script-tag
 * build, a dynamic import in the npm build. `capture` and each kind's option switch them.
 */
export const capture: Plugin = (core) => {
  const config = core.config;
  if (!config.capture) return;
  const undo: Array<() => void> = [];
  if (config.capturePages) undo.push(pages.install(core));
  const load: Promise<Kinds> =
    typeof __CHUNKS__ != 'undefined' && __CHUNKS__ ? loadChunk('capture') : import('./capture/index').then((m) => m.kinds);
  const enabled = load.then((kinds) =>
    (Object.entries(kinds) as [keyof Config, Plugin][]).filter(([option]) => config[option]).map(([, install]) => install),
  );
  return installLater(core, enabled, undo, () =>
    core.emit('warning', { code: 'capture-chunk', message: 'shoptrail-capture.js did not load: only page visits are captured' }),
  ).uninstall;
};

export const modules: Plugin[] = [
  accounting, // first, so the guards see what the capture modules track from their start
  capture,
];

// Plugins that arrive after start-up, in chunks built next to shoptrail.js: one loader, one
// retry policy. A chunk that did not load is asked for again by the next flush(), usage() or
// return online (they wait for it), and CHUNK_RETRY_MS after it failed; its warning is said
// once. Until the background chunk arrives, events wait in the queue and what its ledger counts
// waits here (bounded): its plugins get it as `core.missed`.
import { loadChunk } from './lib/chunk';
import { type Emission, install, type Plugin, type Undo } from './plugin';
import type { TrackerEvents } from './types';

/** A chunk that did not load is asked for again this long after. */
export const CHUNK_RETRY_MS = 30_000;
/** Emissions kept for a chunk: enough for any start-up, bounded for a runaway one. */
const EARLY_LIMIT = 5000;

/**
 * A plugin whose `install` comes from the chunk `name` (or from `load`: the npm build imports);
 * `consequence`: what its absence means, in its warning (`<name>-chunk`); `missed`: what its
 * listeners must hear from before it came.
 */
export const lazy =
  (name: string, consequence: string, missed: Array<keyof TrackerEvents> = [], load: () => Promise<{ install: Plugin }> = () => loadChunk(name)): Plugin =>
  (core) => {
    const early: Emission[] = [];
    const offs = missed.map((name) => core.on(name, (payload) => early.length < EARLY_LIMIT && early.push([name, payload] as Emission)));
    let undo: Undo | undefined;
    let stopped = false;
    let loading: Promise<void> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (): Promise<void> =>
      (loading ||= load().then(
        (chunk) => {
          if (stopped) return;
          for (const off of offs) off();
          undo = install({ ...core, missed: early }, chunk.install);
          early.length = 0;
        },
        () => {
          loading = undefined;
          core.warn(`${name}-chunk`, `${name} chunk did not load: ${consequence}`);
          clearTimeout(timer); // one retry pending at a time
          timer = setTimeout(() => stopped || attempt(), CHUNK_RETRY_MS);
        },
      ));
    const offLoading = core.loading(attempt);
    void attempt();
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const off of offs.concat(offLoading)) off();
      undo?.();
    };
  };

/** The background chunk (dist/shoptrail-background.js): delivery and the ledger, with what the ledger counts. */
export const background = lazy(
  'background',
  'events stay queued',
  ['dropped', 'observed', 'error'], // (nothing is acknowledged before delivery arrives, in the same chunk)
);

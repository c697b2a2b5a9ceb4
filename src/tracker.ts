// createTracker: the orchestrator. It builds the named parts — reporting (src/report.ts), the
// envelope (src/makeEnvelope.ts), consent and its held events (src/consent.ts), the pipeline
// (src/pipeline.ts), the queue (src/queue.ts) and the public facade (src/facade.ts) — and the
// core plugins hook into (src/plugin.ts). Delivery is the first plugin: installed at once by
// the npm build, loaded with the background chunk by the script tag (src/lazy.ts).
import { lookup } from './catalog';
import { resolveConfig } from './config';
import { createConsent } from './consent';
import { createContext, readUtm } from './context';
import { delivery } from './delivery';
import { unlessAutomated } from './automation';
import { createFacade, guarded } from './facade';
import { createIdentity } from './identity';
import { background } from './lazy';
import { listen } from './lib/later';
import { onHidden } from './lib/onHidden';
import { envelopeMaker } from './makeEnvelope';
import { createPipeline } from './pipeline';
import { type Core, type Destination, type Guard, hook, install, type Plugin, type Undo, type UsageSection } from './plugin';
import { clear, createQueue, envelopes, push, size, spill } from './queue';
import { createReport, internal, queueReports } from './report';
import type { Tracker, TrackerOptions, UsageReport } from './types';

declare const __CHUNKS__: boolean | undefined;

/** The public API and the core plugins get, in one object. */
export type TrackerCore = Tracker & Core;

export const createTracker = (options: TrackerOptions = {}, plugins: Plugin[] = []): TrackerCore => {
  const warnings: string[] = [];
  const config = resolveConfig(options, (message) => warnings.push(message));
  const report = createReport(config.debug);
  const guards = new Set<Guard>();
  const sections = new Set<UsageSection>();
  const hides = new Set<() => void>();
  const loads = new Set<() => Promise<unknown>>();
  let destination: Destination | undefined;
  const ready = () => Promise.all([...loads].map((load) => load()));

  const consent = createConsent(config, (state, held) => {
    report.emit('consent', { state });
    if (state === 'granted') {
      identity.save();
      announce();
      for (const event of held) push(queue, event);
      destination?.queued();
      void destination?.flush(false);
    } else {
      identity.erase();
      report.dropped('consent-denied', held);
      void clear(queue).then((items) => report.dropped('consent-denied', envelopes(items)));
    }
  });
  const identity = createIdentity(config.name, config.sessionTimeout * 60_000, readUtm(location.search), () => consent.state() === 'granted');
  identity.save(); // a new id at once, so a second tab opened now shares it
  const context = createContext(identity.utm);
  const queue = createQueue({
    // One queue per endpoint, key and entity (a public key, already in the page): events wait
    // under the configuration they were tracked with, and another tab's key never sends them (issue 13).
    name: `${config.name} ${config.endpoint} ${config.writeKey} ${config.entity}`,
    maxEvents: config.maxQueueEvents,
    segmentEvents: config.maxBatchEvents,
    maxAgeMs: config.maxQueueAgeHours * 3_600_000,
    ...queueReports(report),
  });

  const record = createPipeline(envelopeMaker(config, identity, context), context, consent, guards, report, (event) => {
    push(queue, event);
    destination?.queued();
  });

  let announced = false;
  const announce = () => {
    // The first anonymous id of this browser, once it may be stored (DESIGN.md "Catalog").
    if (identity.isNew && consent.state() === 'granted' && !announced) {
      announced = true;
      record('entity-created', {}, undefined, false);
    }
  };

  const undos: Undo[] = [
    onHidden(
      guarded(report, 'hide', () => {
        identity.save();
        spill(queue); // before anything else: IndexedDB writes started now would not commit
        for (const fn of hides) fn();
      }),
    ),
    listen(
      window,
      'online',
      guarded(report, 'online', () => void ready().then(() => destination?.online())),
    ),
  ];
  let stopped = false;

  const facade = createFacade(
    record,
    report,
    identity,
    consent,
    // After a microtask, so what was tracked at start-up (entity-created, the first page visit) goes too.
    () => ready().then(async () => (destination ? destination.flush(true) : { delivered: 0, remaining: await size(queue) })),
    // The queue's figures, then each section's; a part that fails is reported and left out.
    async () => {
      const own = async (): Promise<Partial<UsageReport>> => ({ queue: { size: await size(queue), storage: queue.mode } });
      await ready();
      const parts = await Promise.all([own, ...sections].map((part) => part().catch((error) => (report.emit('error', internal('usage', error)), {}))));
      return Object.assign({ queue: { size: -1, storage: queue.mode }, account: null }, ...parts);
    },
    () => {
      stopped = true;
      identity.save();
      for (const undo of undos.splice(0)) undo();
    },
  );

  const core: TrackerCore = {
    ...facade,
    config,
    queue,
    emit: report.emit,
    warn: report.warn,
    consentState: consent.state,
    lookup,
    held: consent.held,
    guard: hook(guards),
    section: hook(sections),
    hide: hook(hides),
    loading: hook(loads),
    destination: (d) => ((destination = d), () => destination === d && (destination = undefined)),
  };

  // Plugins start now, so the guards already see the calls a snippet replays right after
  // creation. What the tracker and the plugins announce waits for a microtask, after the
  // current script, so listeners registered right after creation (the snippet's replayed `on`
  // calls too) see the warnings, the first announcement and the first capture.
  queueMicrotask(() => {
    if (stopped) return;
    for (const message of warnings) report.warn(`config:${message}`, message);
    if (!config.endpoint) report.warn('no-endpoint', 'no endpoint configured: events are queued but not sent');
    announce();
  });
  // Delivery first, unless the browser is automated (src/automation.ts): the script tag loads it
  // (and the ledger) in the background chunk.
  // (the test of __CHUNKS__ stays here: esbuild drops the dead import only within one module)
  const own = typeof __CHUNKS__ != 'undefined' && __CHUNKS__ ? background : unlessAutomated(delivery);
  for (const plugin of [own, ...plugins]) undos.push(install(core, plugin));
  return core;
};

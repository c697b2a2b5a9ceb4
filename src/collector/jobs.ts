// Work no request triggers, run by every replica on an interval: cart-abandoned, segment
// windows, webhook deliveries. Every replica may run them at once: each claims its work through
// database rows (derived/cart.ts, webhooks/outbox.ts), never through a timer of its own.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { EntityConfig } from './config';
import type { Logger } from './log';
import type { Stores } from './storage/router';
import { dispatchWebhooks } from './webhooks/dispatch';

export const DEFAULT_JOB_INTERVAL_MS = 5_000;

export interface JobOptions {
  /** Milliseconds between runs (5 s). */
  intervalMs?: number;
  /** How deliveries are sent (tests may wrap it). */
  fetch?: typeof fetch;
  /** This replica's name in the claims it writes; host, pid and a random suffix by default. */
  replica?: string;
  /**
   * How often members are re-evaluated for windows that passed (1 h): windows count in days,
   * and a sweep reads every member's events, so not on every pass.
   */
  segmentSweepMs?: number;
}

export interface JobRun {
  abandoned: number;
  segmentEvents: number;
  delivered: number;
}

export interface Jobs {
  replica: string;
  /** One pass over every entity (what the interval calls). */
  run(): Promise<JobRun>;
  start(): void;
  /** Stop the interval and wait for a pass in progress. */
  stop(): Promise<void>;
}

export const createJobs = (stores: Stores, entities: EntityConfig[], now: () => number, log: Logger | undefined, options: JobOptions = {}): Jobs => {
  const replica = options.replica ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const deps = { fetch: options.fetch ?? fetch, now, replica, log };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<JobRun> | undefined;
  let lastSweep = -Infinity;

  const pass = async (): Promise<JobRun> => {
    const total: JobRun = { abandoned: 0, segmentEvents: 0, delivered: 0 };
    const sweep = now() - lastSweep >= (options.segmentSweepMs ?? 3_600_000);
    if (sweep) lastSweep = now();
    for (const entity of entities) {
      const storage = stores.of(entity.entity);
      try {
        total.abandoned += await storage.abandonCarts(entity, now(), replica);
        if (sweep) total.segmentEvents += await storage.sweepSegments(entity, now());
        total.delivered += await dispatchWebhooks(deps, storage, entity);
      } catch (error) {
        // A database outage: the rows wait for the next pass (or another replica).
        log?.warn({ entity: entity.entity, err: error instanceof Error ? error.message : String(error) }, 'job pass failed');
      }
    }
    return total;
  };
  // Passes never overlap in one replica: a slow one makes the next wait.
  const run = () => (running ??= pass().finally(() => (running = undefined)));

  return {
    replica,
    run,
    start() {
      timer ??= setInterval(() => void run(), options.intervalMs ?? DEFAULT_JOB_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
};

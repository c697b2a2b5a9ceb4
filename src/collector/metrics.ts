// Prometheus metrics through prom-client, in a registry of each collector's own (not the
// global one), so a process or a test may hold several collectors.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface BatchCounts {
  accepted: number;
  duplicates: number;
  rejected: ReadonlyArray<{ error: string }>;
}

export interface Metrics {
  registry: Registry;
  /** Count what one batch did; a rejected event counts under the code before its error's colon. */
  countBatch(counts: BatchCounts): void;
  /** A database call that failed (the batch then answers 503). */
  countDbError(): void;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  /** The text exposition format, and its content type. */
  render(): Promise<{ body: string; contentType: string }>;
}

/** `invalid-body: …` → `invalid-body`; anything odd folds into "other" to bound the label's values. */
export const reasonOf = (error: string): string => {
  const code = error.split(':', 1)[0]!.trim();
  return /^[a-z][a-z0-9-]{0,39}$/.test(code) ? code : 'other';
};

export const createMetrics = (): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const accepted = new Counter({ name: 'shoptrail_events_accepted_total', help: 'Events stored for the first time.', registers: [registry] });
  const duplicates = new Counter({
    name: 'shoptrail_events_duplicate_total',
    help: 'Events already stored (a resent batch), not stored again.',
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'shoptrail_events_rejected_total',
    help: 'Events refused, by reason (the error code in the batch reply).',
    labelNames: ['reason'],
    registers: [registry],
  });
  const dbErrors = new Counter({ name: 'shoptrail_db_errors_total', help: 'Database calls that failed.', registers: [registry] });
  const duration = new Histogram({
    name: 'shoptrail_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    countBatch: (counts) => {
      if (counts.accepted) accepted.inc(counts.accepted);
      if (counts.duplicates) duplicates.inc(counts.duplicates);
      for (const r of counts.rejected) rejected.inc({ reason: reasonOf(r.error) });
    },
    countDbError: () => dbErrors.inc(),
    observeRequest: ({ method, route, status }, seconds) => duration.observe({ method, route, status: String(status) }, seconds),
    render: async () => ({ body: await registry.metrics(), contentType: registry.contentType }),
  };
};

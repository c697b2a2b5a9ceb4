// Segment analytics-next: settings come from the sink standing in for Segment's CDN. Its
// documented batching delivery (POST {apiHost}/b, 100 events or 5 s), like the others' batches.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { config, expose } from './types';

const analytics = AnalyticsBrowser.load(
  { writeKey: 'bench', cdnURL: config().endpoint },
  { integrations: { 'Segment.io': { deliveryStrategy: { strategy: 'batching', config: { size: 100, timeout: 5000 } } } } },
);
expose({ ready: analytics.ready(), track: (n) => void analytics.track('bench', { bench_n: n }) });

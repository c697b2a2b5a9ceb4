// RudderStack v3, the bundled build (no plugins fetched from its CDN); the source config
// comes from the sink. Its own batching on (POST /v1/batch, 100 events), like the others' batches.
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
import { config, expose } from './types';

const analytics = new RudderAnalytics();
const ready = new Promise<void>((resolve) => {
  analytics.load('bench', config().endpoint, {
    configUrl: config().endpoint,
    logLevel: 'ERROR',
    queueOptions: { batch: { enabled: true, maxItems: 100 } },
    onLoaded: () => resolve(),
  });
});
expose({ ready, track: (n) => analytics.track('bench', { bench_n: n }) });

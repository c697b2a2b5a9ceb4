// RudderStack v3, the bundled build (no plugins fetched from its CDN); the source config
// comes from the sink.
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
import { config, expose } from './types';

const analytics = new RudderAnalytics();
const ready = new Promise<void>((resolve) => {
  analytics.load('bench', config().endpoint, {
    configUrl: config().endpoint,
    logLevel: 'ERROR',
    onLoaded: () => resolve(),
  });
});
expose({ ready, track: (n) => analytics.track('bench', { bench_n: n }) });

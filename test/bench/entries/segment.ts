// Segment analytics-next: settings come from the sink standing in for Segment's CDN.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { config, expose } from './types';

const analytics = AnalyticsBrowser.load({ writeKey: 'bench', cdnURL: config().endpoint });
expose({ ready: analytics.ready(), track: (n) => void analytics.track('bench', { bench_n: n }) });

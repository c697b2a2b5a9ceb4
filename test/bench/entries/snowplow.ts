// Snowplow browser tracker (core, no plugins), POST with its default buffer.
import { newTracker, trackSelfDescribingEvent } from '@snowplow/browser-tracker';
import { config, expose } from './types';

newTracker('sp', config().endpoint, { appId: 'bench', eventMethod: 'post', encodeBase64: false });
const schema = 'iglu:com.example/bench/jsonschema/1-0-0';
expose({
  ready: Promise.resolve(),
  track: (n) => trackSelfDescribingEvent({ event: { schema, data: { bench_n: n } } }),
});

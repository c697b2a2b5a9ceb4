// Amplitude browser SDK 2, without autocapture or remote configuration. Like for like with the
// others: gzip bodies (on by default only for Amplitude's own hosts) and batches of 100.
import * as amplitude from '@amplitude/analytics-browser';
import { config, expose } from './types';

const ready = amplitude.init('bench', undefined, {
  serverUrl: `${config().endpoint}/2/httpapi`,
  autocapture: false,
  remoteConfig: { fetchRemoteConfig: false },
  enableRequestBodyCompression: true,
  flushQueueSize: 100,
} as amplitude.Types.BrowserOptions).promise;
expose({ ready, track: (n) => void amplitude.track('bench', { bench_n: n }) });

// Amplitude browser SDK 2, without autocapture or remote configuration.
import * as amplitude from '@amplitude/analytics-browser';
import { config, expose } from './types';

const ready = amplitude.init('bench', undefined, {
  serverUrl: `${config().endpoint}/2/httpapi`,
  autocapture: false,
  remoteConfig: { fetchRemoteConfig: false },
} as amplitude.Types.BrowserOptions).promise;
expose({ ready, track: (n) => void amplitude.track('bench', { bench_n: n }) });

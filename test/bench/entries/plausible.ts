// Plausible's npm tracker: custom events with props, one request per event.
import Plausible from 'plausible-tracker';
import { config, expose } from './types';

const plausible = Plausible({ domain: 'bench.example', apiHost: config().endpoint, trackLocalhost: true });
expose({ ready: Promise.resolve(), track: (n) => plausible.trackEvent('bench', { props: { bench_n: n } }) });

// PostHog: its defaults, minus what a benchmark of track() must not measure (autocapture,
// page views, session recording), sending to the local sink. Its client rate limit (10 events/s,
// bursts of 100) is raised: by default it drops ~99% of a 10,000-event burst, and dropping is
// not what track() is measured for.
import posthog from 'posthog-js';
import { config, expose } from './types';

const ready = new Promise<void>((resolve) => {
  posthog.init('phc_bench', {
    api_host: config().endpoint,
    autocapture: false,
    capture_pageview: false,
    capture_pageleave: false,
    disable_session_recording: true,
    disable_surveys: true,
    opt_out_useragent_filter: true,
    rate_limiting: { events_per_second: 1e6, events_burst_limit: 1e7 },
    loaded: () => resolve(),
  });
});
expose({ ready, track: (n) => posthog.capture('bench', { bench_n: n }) });

// Web vitals (LCP, INP, CLS, FCP, TTFB) as free `web-vitals` events, once each per page view;
// LCP, CLS and INP are final only when the page is hidden, and web-vitals reports them then.
// The library comes as a separate chunk loaded after start-up: its observers use
// `buffered: true`, so what happened before it loaded is still reported.
import type { Metric } from 'web-vitals';
import type { TrackerCore } from '../tracker';

declare const __VITALS_CHUNK__: boolean | undefined;
type OnMetric = (report: (metric: Metric) => void) => void;

// Read while this script runs: later, document.currentScript is gone.
const script = typeof document != 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;

const load = (): Promise<OnMetric[]> =>
  typeof __VITALS_CHUNK__ != 'undefined' && __VITALS_CHUNK__
    ? new Promise((resolve, reject) => {
        const chunk = document.createElement('script');
        chunk.src = script!.src.replace(/[^/]*$/, 'shoptrail-vitals.js');
        chunk.nonce = script!.nonce; // a strict CSP let our tag run; let the chunk run too
        chunk.onload = () => resolve((window as any).shoptrailVitals);
        chunk.onerror = reject;
        document.head.append(chunk);
      })
    : import('web-vitals').then((m) => [m.onLCP, m.onINP, m.onCLS, m.onFCP, m.onTTFB]);

export const install = (core: TrackerCore) => {
  let on = true;
  load().then(
    (observers) =>
      observers.forEach((observe) =>
        observe((metric) => {
          if (!on) return;
          core.track('web-vitals', {
            name: metric.name,
            value: Math.max(0, metric.value),
            rating: metric.rating,
            delta: metric.delta,
            metricId: metric.id,
            navigationType: metric.navigationType,
          });
          // Reported on hide, after the core handed off its events: send these too (a real
          // unload keeps them in the queue for the next page).
          if (document.visibilityState == 'hidden') void core.flush();
        }),
      ),
    () => {}, // blocked chunk: no vitals, nothing else lost
  );
  return () => {
    on = false;
  };
};

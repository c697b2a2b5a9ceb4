// Web vitals (LCP, INP, CLS, FCP, TTFB) as free `web-vitals` events, once each per page view;
// LCP, CLS and INP are final only when the page is hidden, and web-vitals reports them then.
// This runs from the lazily loaded capture chunk: web-vitals' observers use `buffered: true`,
// so what happened before it loaded is still reported.
import { type Metric, onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import type { Core } from '../plugin';

export const install = (core: Core) => {
  let on = true;
  const report = (metric: Metric) => {
    if (!on) return;
    core.track('web-vitals', {
      name: metric.name,
      value: Math.max(0, metric.value),
      rating: metric.rating,
      delta: metric.delta,
      metricId: metric.id,
      navigationType: metric.navigationType,
    });
    // Reported on hide, after the core handed off its events: send these too (a real unload
    // keeps them in the queue for the next page).
    if (document.visibilityState == 'hidden') void core.flush();
  };
  [onLCP, onINP, onCLS, onFCP, onTTFB].forEach((observe) => observe(report));
  return () => {
    on = false;
  };
};

// The web-vitals chunk (dist/shoptrail-vitals.js), loaded by capture/vitals.ts next to
// shoptrail.js only when vitals are captured, so the main bundle stays small.
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';

(window as any).shoptrailVitals = [onLCP, onINP, onCLS, onFCP, onTTFB];

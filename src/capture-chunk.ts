// The autocapture chunk (dist/shoptrail-capture.js): every capture kind but page visits, with
// the web-vitals library, loaded next to shoptrail.js after start-up (src/modules.ts).
import { install } from './capture/index';

(window as any).shoptrail_capture = { install };

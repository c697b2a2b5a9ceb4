// The autocapture chunk (dist/shoptrail-capture.js): every capture kind but page visits, with
// the web-vitals library, loaded by src/modules.ts next to shoptrail.js after start-up.
import { kinds } from './capture/index';

(window as any).shoptrail_capture = kinds;

// The background chunk (dist/shoptrail-background.js): delivery and the ledger, which work only
// after start-up, loaded next to shoptrail.js by src/tracker.ts and src/modules.ts. Until it
// arrives, events wait in the queue and what the ledger counts waits in the tracker's backlog.
import { createDelivery } from './delivery';
import { ledger } from './ledger';

(window as any).shoptrail_background = { createDelivery, ledger };

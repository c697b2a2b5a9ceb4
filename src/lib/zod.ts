// The one place Shoptrail imports zod. `jitless` keeps validation off `new Function`, so
// stores with a strict Content-Security-Policy (no 'unsafe-eval') still validate events.
// Re-exported member by member (not as one namespace object) so the bundle keeps only what
// the schemas use.
import { config } from 'zod/mini';

config({ jitless: true });

export * from 'zod/mini';

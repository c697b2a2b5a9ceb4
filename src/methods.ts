// The public calls, in one list that the snippet stub (src/stub.ts), the script tag
// (src/script.ts) and the demo's inspector share: a call missing from a copy was a TypeError
// in the store's page before the script loaded (issue 13, `shutdown`). `init` is the script
// tag's own; the rest are the Tracker's methods (test/unit/script.test.ts checks them).
// (`var`: the snippet is built for ES5)
export var METHODS = ['init', 'track', 'identify', 'page', 'consent', 'flush', 'usage', 'on', 'off', 'reset', 'shutdown'] as const;

export type Method = (typeof METHODS)[number];

// The recording stub of `window.shoptrail`, before the real script loads: calls are kept in
// order (`q`) for src/script.ts to replay; flush and usage get a promise settled after the
// replay. Used by the inline snippet (src/snippet.ts) and by the demo's inspector. ES5, for the
// snippet's old-browser reach and its size.
import { METHODS } from './methods';

type Stub = ((...args: unknown[]) => unknown) & Record<string, unknown>;

export function installStub(w: Window & { shoptrail?: unknown }): void {
  if (w.shoptrail) return;
  var q: unknown[][] = [];
  var stub = function () {
    var args = [].slice.call(arguments) as unknown[];
    if (args[0] === 'flush' || args[0] === 'usage') {
      return new Promise(function (resolve, reject) {
        q.push([args, resolve, reject]);
      });
    }
    q.push([args]);
  } as Stub;
  stub.q = q;
  for (var i = 0; i < METHODS.length; i++) {
    (function (method: string) {
      stub[method] = function () {
        return stub.apply(null, [method].concat([].slice.call(arguments)));
      };
    })(METHODS[i]!);
  }
  w.shoptrail = stub;
}

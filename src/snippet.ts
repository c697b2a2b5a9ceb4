// The inline loader stub, pasted in the page's <head> before the script tag. It defines a
// `window.shoptrail` that records calls (in order) until the real script replays them; calls
// that return promises get one, settled after the replay. Kept to ES5 and a few hundred bytes.
(function (w: Window & { shoptrail?: unknown }) {
  if (w.shoptrail) return;
  var q: unknown[][] = [];
  var stub = function (this: unknown) {
    var args = [].slice.call(arguments) as unknown[];
    if (args[0] === 'flush' || args[0] === 'usage') {
      return new Promise(function (resolve, reject) {
        q.push([args, resolve, reject]);
      });
    }
    q.push([args]);
  } as ((...args: unknown[]) => unknown) & Record<string, unknown>;
  stub.q = q;
  var methods = ['init', 'track', 'identify', 'page', 'consent', 'flush', 'usage', 'on', 'off', 'reset'];
  for (var i = 0; i < methods.length; i++) {
    (function (method: string) {
      stub[method] = function () {
        return stub.apply(null, [method].concat([].slice.call(arguments)));
      };
    })(methods[i]!);
  }
  w.shoptrail = stub;
})(window);
export {}; // a module for the type checker; the build emits no export

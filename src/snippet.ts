// The inline loader stub, pasted in the page's <head> before the script tag: a recording
// `window.shoptrail` (src/stub.ts) with every public call (src/methods.ts) until the real script
// replays them. Kept to ES5 and a few hundred bytes (test/unit/size.test.ts).
import { installStub } from './stub';

installStub(window);

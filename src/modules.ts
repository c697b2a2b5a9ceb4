// The parts a default tracker installs besides its core. Capture modules and cost accounting
// register here; `createTracker` from the package and the script tag both use this list.
import { ledger } from './ledger';
import type { Plugin } from './tracker';

export const modules: Plugin[] = [ledger];

// What shoptrail.js lends the chunks loaded next to it (src/lib/chunk.ts), so that they carry no
// second copy of what it has anyway (issue 19). The chunk builds read this file's imports: each
// module imported here resolves, in a chunk, to one whose names listed here come from
// `window.shoptrail_lib` and whose other exports stay its own (esbuild.config.mjs, `borrow`).
// List only what shoptrail.js bundles already and a chunk imports: a name no chunk imports costs
// shoptrail.js bytes for nothing. The npm build imports every module as usual.
import { createStore, promisifyRequest } from 'idb-keyval';
import { envelopes, keyTime, settle, size } from '../queue';
import { forget } from '../spill';
import { install } from '../plugin';
import { later, listen } from './later';
import { readJson, writeJson } from './storage';
import { cleanUrl } from './url';

export const lent = { createStore, promisifyRequest, envelopes, keyTime, settle, size, forget, install, later, listen, readJson, writeJson, cleanUrl };

// Builds dist/: the script-tag IIFE, the npm ESM entry, the Node schema entry, the snippet
// stub, type declarations, the Node SDK (dist/server.mjs) and the collector's bin (dist/collector/cli.mjs). `node esbuild.config.mjs --report` also prints what each
// module costs in each script-tag file (shoptrail.js and its chunks), and what shoppers download in all.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const browsers = ['es2020', 'chrome80', 'edge80', 'firefox78', 'safari14.1'];
// esbuild lowers `?.` for Chrome and Edge 80–90 because of a V8 bug that only two forms hit:
// an optional call with a spread argument before the last, `a?.b(...x, y)`, and a parenthesised
// optional member called, `(a?.b)()`. Our code and its libraries use neither, which
// test/unit/syntax.test.ts checks on the built files, so `?.` stays as written (≈ 290 B gzip).
const browserSyntax = { 'optional-chain': true };
const common = {
  bundle: true,
  sourcemap: true,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * The chunks borrow from shoptrail.js what it bundles anyway (src/lib/lent.ts lends it as
 * `window.shoptrail_lib`): in a chunk's build, each module that file imports from resolves to a
 * stand-in that takes the lent names from there and the rest from the module itself, so tree
 * shaking keeps only what the chunk still needs of its own. Each lent name is a module of its own,
 * free of side effects, so that one a chunk does not use costs it nothing.
 */
const LENT_FILE = resolve('src/lib/lent.ts');
/** What lent.ts imports, `import { a, b } from 'm';` line by line: the names lent, by module. */
const LENT = [...readFileSync(LENT_FILE, 'utf8').matchAll(/^import \{([^}]+)\} from '([^']+)';$/gm)].map(([, names, from]) => ({
  from,
  names: names.split(',').map((name) => name.trim()),
}));
const borrow = {
  name: 'borrow',
  setup(build) {
    /** Resolved path → the names lent of it. */
    const lent = new Map();
    build.onStart(async () => {
      for (const { from, names } of LENT) {
        const found = await build.resolve(from, { resolveDir: dirname(LENT_FILE), kind: 'import-statement', pluginData: borrow });
        lent.set(found.path, names);
      }
    });
    build.onResolve({ filter: /^[.\w]/ }, async (args) => {
      if (args.pluginData === borrow || args.namespace === 'borrowed' || args.kind === 'entry-point') return undefined;
      const found = await build.resolve(args.path, { resolveDir: args.resolveDir, importer: args.importer, kind: args.kind, pluginData: borrow });
      return lent.has(found.path) ? { path: found.path, namespace: 'borrowed' } : found;
    });
    build.onLoad({ filter: /.*/, namespace: 'borrowed' }, ({ path }) => ({
      contents: [`export * from ${JSON.stringify(path)};`, ...lent.get(path).map((name) => `export { ${name} } from 'lent:${name}';`)].join('\n'),
      resolveDir: dirname(path),
    }));
    build.onResolve({ filter: /^lent:/ }, ({ path }) => ({ path: path.slice(5) || 'window.shoptrail_lib', namespace: 'lent', sideEffects: false }));
    build.onLoad({ filter: /.*/, namespace: 'lent' }, ({ path }) => ({
      contents: path === 'window.shoptrail_lib' ? `export const lib = ${path};` : `import { lib } from 'lent:';\nexport const ${path} = lib.${path};`,
    }));
  },
};

rmSync('dist', { recursive: true, force: true });

const CHUNKS = ['background', 'capture', 'consent'];

const [script, ...others] = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/script.ts'],
    outfile: 'dist/shoptrail.js',
    format: 'iife',
    minify: true,
    target: browsers,
    supported: browserSyntax,
    metafile: true,
    // autocapture comes as its own chunk, loaded next to shoptrail.js (src/modules.ts);
    // __SCRIPT_TAG__ drops what only the npm entry can reach (src/validate.ts)
    define: { ...common.define, __CHUNKS__: 'true', __SCRIPT_TAG__: 'true' },
    // zod/mini with only the methods the tag calls (src/lib/slimZod.ts)
    alias: { 'zod/mini': './src/lib/slimZod.ts' },
  }),
  ...CHUNKS.map((chunk) =>
    esbuild.build({
      ...common,
      entryPoints: [`src/${chunk}-chunk.ts`],
      outfile: `dist/shoptrail-${chunk}.js`,
      format: 'iife',
      minify: true,
      target: browsers,
      supported: browserSyntax,
      metafile: true,
      plugins: [borrow],
    }),
  ),
  esbuild.build({
    ...common,
    entryPoints: { shoptrail: 'src/index.ts', schema: 'src/schema.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    target: browsers,
    packages: 'external', // zod, idb-keyval and web-vitals stay shared with the app's own copies
  }),
  // Shopify Web Pixels (src/pixel/): its own file, pasted into Shopify's admin; runs without a DOM.
  esbuild.build({
    ...common,
    entryPoints: ['src/pixel-entry.ts'],
    outfile: 'dist/shopify-pixel.js',
    format: 'iife',
    minify: true,
    target: browsers,
    supported: browserSyntax,
    define: { ...common.define, __SCRIPT_TAG__: 'true' },
    alias: { 'zod/mini': './src/lib/slimZod.ts' }, // as shoptrail.js
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/snippet.ts'],
    outfile: 'dist/snippet.js',
    format: 'esm', // the source is already a self-invoking function; no wrapper needed
    minify: true,
    sourcemap: false,
    target: ['es5'],
  }),
  // The collector for Node (bin shoptrail-collector): its dependencies stay in node_modules,
  // where the database drivers are optional peers loaded on demand (src/collector/drivers.ts).
  esbuild.build({
    ...common,
    entryPoints: ['src/collector/cli.ts'],
    outfile: 'dist/collector/cli.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The collector's admin console (src/collector/console/client), served at /admin/: its script
  // (uPlot bundled in) and its styles; index.html is copied beside them below.
  esbuild.build({
    ...common,
    entryPoints: { console: 'src/collector/console/client/main.ts', 'console-styles': 'src/collector/console/client/console.css' },
    outdir: 'dist/collector/console',
    format: 'esm',
    minify: true,
    target: browsers,
  }),
  // The Node SDK for stores' back ends (shoptrail/server): zod stays a dependency; Node built-ins only.
  esbuild.build({
    ...common,
    entryPoints: { server: 'src/server/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
  // The demo storefront's own scripts (the shop and the QA inspector), served at /demo-assets/.
  esbuild.build({
    ...common,
    entryPoints: ['demo/storefront/client/shop.ts', 'demo/storefront/client/inspector.ts'],
    outdir: 'dist/demo',
    format: 'iife',
    minify: true,
    target: browsers,
  }),
]);

copyFileSync('src/collector/console/client/index.html', 'dist/collector/console/index.html');

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.server.json'], { stdio: 'inherit' });

// Always kept: the size budget test (test/unit/size.test.ts) names the biggest modules from it.
// One metafile for the script tag's files: shoptrail.js and its chunks.
const meta = { inputs: {}, outputs: {} };
for (const { metafile } of [script, ...others.slice(0, CHUNKS.length)]) {
  Object.assign(meta.inputs, metafile.inputs);
  Object.assign(meta.outputs, metafile.outputs);
}
// A name lent that no chunk borrows would cost shoptrail.js bytes for nothing.
const borrowed = new Set(
  Object.values(meta.outputs).flatMap(({ inputs }) => Object.keys(inputs).filter((input) => inputs[input].bytesInOutput > 0 && input.startsWith('lent:'))),
);
const idle = LENT.flatMap(({ names }) => names).filter((name) => !borrowed.has(`lent:${name}`));
if (idle.length) throw new Error(`src/lib/lent.ts lends what no chunk borrows: ${idle.join(', ')}`);
writeFileSync('dist/meta.json', JSON.stringify(meta));

if (process.argv.includes('--report')) {
  /** A module's name in the report: a package's path from its own folder; a name a chunk borrows. */
  const label = (input) =>
    input
      .replace(/^.*node_modules\//, '')
      .replace(/^lent:(\w+)$/, '$1 (borrowed from shoptrail.js)')
      .replace(/^lent:/, '');
  const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
  for (const file of ['dist/shoptrail.js', ...CHUNKS.map((name) => `dist/shoptrail-${name}.js`)]) {
    const { bytes, inputs } = meta.outputs[file];
    const when = file === 'dist/shoptrail.js' ? '' : file.endsWith('consent.js') ? ' (after start-up, for a consentPlatform only)' : ' (after start-up)';
    console.log(`\n${file}  ${bytes} B minified, ${gzip(file)} B gzip -9${when}`);
    const rows = Object.entries(inputs)
      .filter(([input, { bytesInOutput }]) => bytesInOutput > 0 && !input.startsWith('borrowed:'))
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
    for (const [input, { bytesInOutput }] of rows)
      console.log(`  ${String(bytesInOutput).padStart(7)} B  ${((100 * bytesInOutput) / bytes).toFixed(1).padStart(4)} %  ${label(input)}`);
  }
  const shipped = ['dist/shoptrail.js', 'dist/shoptrail-background.js', 'dist/shoptrail-capture.js'].map(gzip);
  console.log(`\nshoptrail.js + background + capture: ${shipped.reduce((a, b) => a + b)} B gzip -9 (${shipped.join(' + ')})`);
}

// Size budgets of what a store's shoppers download, gzip -9 (bytes are deterministic for a
// given source). Runs on the build: `npm test` builds dist/ first. Over budget, the failure
// names the biggest modules of the script-tag bundle (from esbuild's metafile, dist/meta.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', '..', 'dist');
/**
 * Issue 6's budget: 16 KB gzip for dist/shoptrail.js, the script shoppers wait for (everything
 * that must work from the first call). Delivery and the ledger (dist/shoptrail-background.js)
 * and autocapture (dist/shoptrail-capture.js) load after start-up; their budgets are ceilings
 * against regressions.
 */
const BUDGETS = {
  'shoptrail.js': 16 * 1024,
  // 6 KB until delivery learned to keep a refused key's events, to isolate a poison event, to keep
  // one queue per configuration and to stand down in automated browsers (issues 13, 17, 18): 6,203 B.
  'shoptrail-background.js': 6.25 * 1024,
  'shoptrail-capture.js': 10 * 1024,
  // Consent platforms (TCF, Consent Mode, Shopify), loaded only for the stores that name one.
  'shoptrail-consent.js': 2 * 1024,
  // The Shopify pixel (its own file, pasted into Shopify's admin): the catalog's schemas and a queue.
  'shopify-pixel.js': 12 * 1024,
  'snippet.js': 700,
};

const gzipBytes = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

/**
 * What a chunk carries of the modules shoptrail.js bundles too, and why. Whatever else it needs
 * of them it borrows (src/lib/lent.ts): a new copy fails here, to be lent instead.
 */
const COPIES: Record<string, string[]> = {
  // checkConfig, which shoptrail.js leaves to the ledger
  'shoptrail-background.js': ['src/config.ts'],
  // all() (not in shoptrail.js) and ordersKey(): a loan would cost as much as the copy
  'shoptrail-capture.js': ['src/guards/duplicate.ts', 'src/lib/later.ts'],
  'shoptrail-consent.js': [],
};

/** The biggest inputs of dist/shoptrail.js, minified bytes each. */
type Meta = { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
const readMeta = (): Meta | undefined => {
  const metaFile = join(DIST, 'meta.json');
  return existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as Meta) : undefined;
};

/** The modules of a script-tag file (from dist/meta.json) that put bytes in it. */
const modulesOf = (meta: Meta, file: string): string[] =>
  Object.entries(meta.outputs[`dist/${file}`]?.inputs ?? {})
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input]) => input.replace(/^.*node_modules\//, ''));

const topModules = (count = 12): string[] => {
  const meta = readMeta();
  if (!meta) return ['(dist/meta.json missing: run npm run build)'];
  const inputs = meta.outputs['dist/shoptrail.js']?.inputs ?? {};
  return Object.entries(inputs)
    .map(([file, { bytesInOutput }]) => [file.replace(/^.*node_modules\//, ''), bytesInOutput] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([file, bytes]) => `${String(bytes).padStart(7)} B  ${file}`);
};

describe('size budget (gzip -9)', () => {
  for (const [file, budget] of Object.entries(BUDGETS)) {
    it(`dist/${file} ≤ ${budget} bytes`, () => {
      expect(existsSync(join(DIST, file)), `dist/${file} is missing: run npm run build first`).toBe(true);
      const bytes = gzipBytes(file);
      const report =
        `dist/${file} is ${bytes} B gzip -9, ${bytes - budget} B over its budget of ${budget} B.` +
        (file === 'shoptrail.js' ? `\nBiggest modules (minified bytes in the bundle):\n${topModules().join('\n')}` : '');
      expect(bytes, report).toBeLessThanOrEqual(budget);
    });
  }
});

describe('chunks', () => {
  it('borrow from shoptrail.js rather than carry a second copy', () => {
    const meta = readMeta();
    expect(meta, 'dist/meta.json is missing: run npm run build first').toBeDefined();
    const own = new Set(modulesOf(meta!, 'shoptrail.js'));
    for (const [file, copies] of Object.entries(COPIES)) {
      expect(
        modulesOf(meta!, file)
          .filter((input) => own.has(input))
          .sort(),
        `dist/${file}`,
      ).toEqual(copies);
    }
  });
});

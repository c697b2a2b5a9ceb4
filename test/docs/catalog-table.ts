// The README's event catalog table, generated from the catalog itself so the two never drift.
// `npm run docs` rewrites it; test/unit/readme.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { catalog } from '../../src/catalog';
import type { ZodMiniObject } from '../../src/lib/zod';

const START = '<!-- catalog-table:start -->';
const END = '<!-- catalog-table:end -->';

/** Body fields, required ones in bold; platform and disused types take free properties. */
const fields = (body: Partial<ZodMiniObject<unknown>>): string => {
  const { _s: shape, _c: catchall } = body;
  if (!shape || (catchall && !Object.keys(shape).length)) return 'free properties';
  const names = Object.entries(shape).map(([name, schema]) => (schema._o ? name : `**${name}**`));
  return names.length ? names.join(', ') : '—';
};

export const catalogTable = (): string =>
  [
    '| type | billed | priority | emitted by | body |',
    '|---|---|---|---|---|',
    ...Object.entries(catalog).map(
      ([type, entry]) =>
        `| \`${type}\` | ${entry.billable ? 'yes' : 'no'} | ${entry.priority} | ${entry.origin} | ${fields(entry.body as never)} |`,
    ),
  ].join('\n');

export const withCatalogTable = (readme: string): string => {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${catalogTable()}\n${readme.slice(end)}`;
};

if (process.argv.includes('--write')) {
  writeFileSync('README.md', withCatalogTable(readFileSync('README.md', 'utf8')));
  console.log('README.md: catalog table updated');
}

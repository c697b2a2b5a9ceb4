// The README's event catalog table, generated from the catalog itself so the two never drift.
// `npm run docs` rewrites it; test/unit/readme.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { catalog } from '../../src/catalog';

const START = '<!-- catalog-table:start -->';
const END = '<!-- catalog-table:end -->';

type Shape = Record<string, { _zod: { optin?: string; def: { type: string } } }>;
type Def = { type: string; shape?: Shape; catchall?: unknown };

/** Body fields, required ones in bold; platform and disused types take free properties. */
const fields = (body: { _zod: { def: Def } }): string => {
  const { shape, catchall } = body._zod.def;
  if (!shape || (catchall && !Object.keys(shape).length)) return 'free properties';
  const names = Object.entries(shape).map(([name, schema]) => (schema._zod.optin === 'optional' ? name : `**${name}**`));
  return names.length ? names.join(', ') : '—';
};

export const catalogTable = (): string =>
  [
    '| type | billed | priority | emitted by | body |',
    '|---|---|---|---|---|',
    ...Object.entries(catalog).map(
      ([type, entry]) => `| \`${type}\` | ${entry.billable ? 'yes' : 'no'} | ${entry.priority} | ${entry.origin} | ${fields(entry.body as never)} |`,
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

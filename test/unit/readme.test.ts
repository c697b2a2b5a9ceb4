import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withCatalogTable } from '../docs/catalog-table';

describe('README', () => {
  it('lists the catalog as it is (run `npm run docs` after changing src/catalog.ts)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withCatalogTable(readme));
  });
});

// The browser bundles keep `?.` as written (esbuild.config.mjs), which is safe on Chrome and
// Edge 80–90 only while they contain neither form a V8 bug there breaks (crbug.com/42201552,
// v8:10024): an optional call with a spread argument before the last, `a?.b(...x, y)`, and a
// parenthesised optional member that is called, `(a?.b)()`. Runs on the build.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', '..', 'dist');
const BUNDLES = ['shoptrail.js', 'shoptrail-background.js', 'shoptrail-capture.js'];

/** The top-level arguments of the call whose `(` is at `open`, as source text. */
const argumentsAt = (code: string, open: number): string[] => {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) {
        args.push(code.slice(start, i));
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(code.slice(start, i));
      start = i + 1;
    }
  }
  return args;
};

/** Places in `code` that the Chrome 80–90 bugs with optional chaining would break. */
const v8OptionalChainHazards = (code: string): string[] => {
  const found: string[] = [];
  // `?.` then the rest of the chain (`.b`, `[c]`), up to a call's `(`
  for (const match of code.matchAll(/\?\.(?:[\w$]+|\[[^\]]*\])?(?:\.[\w$]+|\[[^\]]*\])*\(/g)) {
    const args = argumentsAt(code, match.index + match[0].length - 1);
    if (args.slice(0, -1).some((arg) => arg.trim().startsWith('...'))) found.push(code.slice(match.index, match.index + 60));
  }
  for (const match of code.matchAll(/\([\w$.]+\?\.[\w$.]+\)\(/g)) found.push(match[0]);
  return found;
};

describe('optional chaining in the browser bundles', () => {
  it('finds the hazards it looks for', () => {
    expect(v8OptionalChainHazards('a?.b(...x,y);c?.(...z,1);d?.e[f](...g,h)')).toHaveLength(3);
    expect(v8OptionalChainHazards('(o?.m)()')).toHaveLength(1);
    expect(v8OptionalChainHazards('a?.b(x,...y);c?.(f(...z),1);(o?.m);d?.e[f](g,...h)')).toEqual([]);
  });

  for (const file of BUNDLES) {
    it(`dist/${file} has no form that Chrome 80–90 runs wrongly`, () => {
      expect(existsSync(join(DIST, file)), `dist/${file} is missing: run npm run build first`).toBe(true);
      expect(v8OptionalChainHazards(readFileSync(join(DIST, file), 'utf8'))).toEqual([]);
    });
  }
});

// The depth bound of a batch: the whole-text check (gzip bodies, once inflated), with its shortcut
// for texts of few brackets, must judge every text as the chunk scanner (plain bodies) judges its bytes.
import { describe, expect, it } from 'vitest';
import { createDepthScanner, nestsDeeperThan } from '../../src/collector/jsonDepth';

const byBytes = (text: string, max: number) => !createDepthScanner(max).feed(Buffer.from(text));

/** Random text of the characters the scan looks at, and some it must step over. */
const randomText = (random: () => number) => {
  const parts = ['[', ']', '{', '}', '"', '\\', '\\"', '\\\\', 'a', ':', ',', 'é', '😀', '\ud800', ' '];
  let text = '';
  const length = Math.floor(random() * 40);
  for (let i = 0; i < length; i++) text += parts[Math.floor(random() * parts.length)];
  return text;
};

/** A small deterministic generator, so a failure reproduces. */
const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe('nestsDeeperThan', () => {
  it('counts brackets outside strings only', () => {
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('["[[[[", {"a\\"[[[[": 1}]', 2)).toBe(false);
    expect(nestsDeeperThan('["\\\\", [[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('"unterminated [[[[', 1)).toBe(false);
    expect(nestsDeeperThan('[[["\\', 2)).toBe(true);
  });

  it('agrees with the chunk scanner on 20,000 random texts, below and above the shortcut', () => {
    const random = seeded(16);
    for (let i = 0; i < 20_000; i++) {
      const text = randomText(random);
      const max = Math.floor(random() * 12);
      expect([text, nestsDeeperThan(text, max)]).toEqual([text, byBytes(text, max)]);
    }
  });
});

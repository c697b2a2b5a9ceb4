import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../../src/lib/utf8';

describe('utf8Length', () => {
  it('counts UTF-8 bytes as TextEncoder does: ASCII, two- and three-byte characters, surrogate pairs', () => {
    for (const text of ['', 'plain', 'café', '€ 19,90', 'お茶', '🛒 cart', 'a\u{1F600}b', '\uD800 lone']) {
      expect(utf8Length(text), text).toBe(new TextEncoder().encode(text).length);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { uuid } from '../../../src/lib/uuid';

describe('uuid', () => {
  it('makes distinct RFC 4122 version 4 UUIDs, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = uuid();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(1000);
  });
});

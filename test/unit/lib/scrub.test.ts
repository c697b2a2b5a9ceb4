import { describe, expect, it } from 'vitest';
import { scrub } from '../../../src/lib/scrub';

describe('label scrubber', () => {
  it('drops Luhn-valid card numbers and emails, keeps other numbers', () => {
    expect(scrub('Pay with 4111 1111 1111 1111 now')).toBe('Pay with now');
    expect(scrub('card 5500-0000-0000-0004')).toBe('card');
    expect(scrub('order 1234 5678 9012 3456')).toBe('order 1234 5678 9012 3456'); // not Luhn-valid
    expect(scrub('Call +33 1 23 45 67 89')).toBe('Call +33 1 23 45 67 89');
    expect(scrub('write to ada@example.com today')).toBe('write to today');
  });

  it('collapses whitespace and cuts long text', () => {
    expect(scrub('  Shop\n\n  now  ')).toBe('Shop now');
    expect(scrub('x'.repeat(300))).toHaveLength(100);
    expect(scrub(null)).toBe('');
  });
});

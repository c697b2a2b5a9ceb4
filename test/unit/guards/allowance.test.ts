import { describe, expect, it } from 'vitest';
import { lookup } from '../../../src/catalog';
import { allowance } from '../../../src/guards/allowance';
import type { AccountUsage } from '../../../src/protocol';
import { makeEvent } from '../support/events';

const account = (used: number, total = 1000): AccountUsage => ({ cycleStart: '2026-11-01', cycleEnd: '2026-12-01', used, allowance: total });
const verdicts = (guard: ReturnType<typeof allowance>) =>
  ['web-content-clicked', 'web-page-visited', 'purchase', 'cart-product-added', 'web-vitals'].map((type) => guard(makeEvent(type), lookup(type)!));

describe('allowance guard', () => {
  it('sheds nothing without account figures, or with plenty left', () => {
    expect(verdicts(allowance(() => null))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(verdicts(allowance(() => account(899)))).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('sheds low below 10 % left, normal below 2 %, essential and free never', () => {
    expect(verdicts(allowance(() => account(901)))).toEqual(['allowance', undefined, undefined, undefined, undefined]);
    expect(verdicts(allowance(() => account(981)))).toEqual(['allowance', 'allowance', undefined, undefined, undefined]);
    expect(verdicts(allowance(() => account(5000)))).toEqual(['allowance', 'allowance', undefined, undefined, undefined]);
  });

  it('follows the latest figures and configurable reserves', () => {
    let current = account(0);
    const guard = allowance(() => current, { low: 0.5, normal: 0.25 });
    expect(verdicts(guard)[0]).toBeUndefined();
    current = account(600);
    expect(verdicts(guard).slice(0, 2)).toEqual(['allowance', undefined]);
    current = account(800);
    expect(verdicts(guard).slice(0, 2)).toEqual(['allowance', 'allowance']);
  });
});

// The renderers' CPU time between two samples of Chromium's process list, process by process.
import { describe, expect, it } from 'vitest';
import { rendererMsBetween } from '../bench/renderer-cpu';

describe('renderer CPU between two samples', () => {
  it('sums what each renderer spent', () => {
    expect(
      rendererMsBetween(
        new Map([
          [1, 100],
          [2, 50],
        ]),
        new Map([
          [1, 130],
          [2, 60],
        ]),
      ),
    ).toBe(40);
  });

  it('counts a renderer started in between whole, and one gone by the end not at all', () => {
    expect(
      rendererMsBetween(
        new Map([
          [1, 100],
          [2, 500],
        ]),
        new Map([
          [1, 110],
          [3, 20],
        ]),
      ),
    ).toBe(30);
  });
});

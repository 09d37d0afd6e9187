import { describe, expect, it } from 'vitest';
import { formatRanges, toRanges } from '../../src/render/line-ranges.js';

describe('line ranges', () => {
  it('folds consecutive lines', () => {
    expect(toRanges([3, 4, 5, 9, 11, 12])).toEqual([[3, 5], [9, 9], [11, 12]]);
    expect(formatRanges([3, 4, 5, 9, 11, 12])).toBe('3-5, 9, 11-12');
    expect(formatRanges([])).toBe('');
  });
});

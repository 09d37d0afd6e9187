import { describe, expect, it } from 'vitest';
import {
  countCovered,
  createLineHitsBuilder,
  hitsAt,
  lineHitsEntries,
  lineHitsOf,
  mergeLineHitsMax,
  mergeLineHitsSum,
} from '../../../src/inputs/coverage/line-hits.js';

describe('line hits', () => {
  it('builds sorted, one entry per line, keeping the highest count of a repeated line', () => {
    const builder = createLineHitsBuilder();
    for (const [line, hits] of [[5, 0], [2, 3], [5, 4], [9, 0], [2, 1]] as const) builder.add(line, hits);
    expect(builder.added).toBe(5);
    expect(lineHitsEntries(builder.build())).toEqual([[2, 3], [5, 4], [9, 0]]);
  });

  it('keeps already sorted input as is', () => {
    expect(lineHitsEntries(lineHitsOf([[1, 1], [2, 0], [7, 2]]))).toEqual([[1, 1], [2, 0], [7, 2]]);
  });

  it('merges by maximum inside a report and by sum across reports', () => {
    const a = lineHitsOf([[1, 1], [3, 0], [5, 2]]);
    const b = lineHitsOf([[2, 4], [3, 6], [5, 1]]);
    expect(lineHitsEntries(mergeLineHitsMax(a, b))).toEqual([[1, 1], [2, 4], [3, 6], [5, 2]]);
    expect(lineHitsEntries(mergeLineHitsSum(a, b))).toEqual([[1, 1], [2, 4], [3, 6], [5, 3]]);
    expect(lineHitsEntries(mergeLineHitsSum(a, lineHitsOf([])))).toEqual(lineHitsEntries(a));
  });

  it('looks lines up and counts covered ones', () => {
    const hits = lineHitsOf([[2, 0], [4, 7], [8, 1]]);
    expect([1, 2, 4, 8, 9].map((line) => hitsAt(hits, line))).toEqual([undefined, 0, 7, 1, undefined]);
    expect(countCovered(hits)).toBe(2);
  });
});

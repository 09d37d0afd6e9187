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
import { findCoverageParser } from '../../../src/inputs/coverage/registry.js';

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

describe('line numbers past what LineHits can hold', () => {
  it.each([
    ['lcov', 'TN:\nSF:a.js\nDA:4294967300,5\nend_of_record\n'],
    ['cobertura', '<coverage><packages><package><classes><class filename="a.js"><lines><line number="4294967300" hits="1"/></lines></class></classes></package></packages></coverage>'],
    ['clover', '<coverage clover="4"><project><file path="a.js"><line num="4294967300" count="1" type="stmt"/></file></project></coverage>'],
    ['istanbul', JSON.stringify({ 'a.js': { path: 'a.js', statementMap: { 0: { start: { line: 4294967300, column: 0 }, end: { line: 4294967300, column: 1 } } }, fnMap: {}, branchMap: {}, s: { 0: 1 }, f: {}, b: {} } })],
  ] as const)('are malformed %s input, not silently wrapped', async (format, text) => {
    const parser = findCoverageParser(format);
    async function* chunks(): AsyncIterable<string> {
      yield text;
    }
    await expect(parser.parse(chunks(), `bad.${format}`)).rejects.toMatchObject({ code: 'INPUT_MALFORMED' });
  });
});

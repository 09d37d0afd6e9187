/** Shared by the coverage parser suites: bad-input fixture discovery, chunking and line counts. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../../src/errors.js';
import { EMPTY_LINE_HITS } from '../../../src/inputs/coverage/line-hits.js';
import type { CoverageParser } from '../../../src/inputs/coverage/parser.js';
import { openInput } from '../../../src/inputs/read-input.js';
import type { ParsedCoverageReport } from '../../../src/model/coverage.js';
import { chunksOf, errorOf } from '../../support/streams.js';

export { chunksOf, errorOf };

export const COVERAGE_FIXTURES = fileURLToPath(new URL('../../../fixtures/coverage/', import.meta.url));
export const BAD = join(COVERAGE_FIXTURES, 'bad');

export interface Counts {
  covered: number;
  total: number;
}

export interface BadExpectation {
  format: string;
  code: string;
  position?: { line: number; column?: number };
  messageIncludes?: string;
}

/** `bad/<defect>.<format>.<ext>` with its `bad/<defect>.<format>.expected.json`. */
export function badCases(format: string): { defect: string; data: string; expected: BadExpectation }[] {
  const names = readdirSync(BAD);
  const suffix = `.${format}.expected.json`;
  return names
    .filter((name) => name.endsWith(suffix))
    .map((expectedName) => {
      const defect = expectedName.slice(0, -'.expected.json'.length);
      const data = names.find((name) => name.startsWith(`${defect}.`) && name !== expectedName);
      if (data === undefined) throw new Error(`no data file for ${expectedName}`);
      const expected = JSON.parse(readFileSync(join(BAD, expectedName), 'utf8')) as BadExpectation;
      if (expected.format !== format) throw new Error(`${expectedName} is for ${expected.format}`);
      return { defect, data: join(BAD, data), expected };
    });
}

/**
 * The bad-input suite every coverage format runs: each `bad/<defect>.<format>.*` fixture, read
 * through openInput as the CLI reads it, fails with the code, file, position and words its
 * expected.json names. `minCases` guards against fixtures that silently went missing.
 */
export function describeBadFixtures(title: string, format: string, parser: CoverageParser, minCases: number): void {
  describe(`bad ${title} fixtures (through openInput)`, () => {
    const cases = badCases(format);

    it(`has at least ${minCases} bad-input fixture${minCases === 1 ? '' : 's'}`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(minCases);
    });

    for (const { defect, data, expected } of cases) {
      it(`rejects ${defect}`, async () => {
        const error = await errorOf(openInput(data).then((opened) => parser.parse(opened.chunks(), data)));
        expect(error.code).toBe(expected.code);
        expect(error.file).toBe(data);
        expect(formatError(error)).toContain(data);
        expect(error.position).toEqual(expected.position);
        if (expected.messageIncludes) expect(error.message).toContain(expected.messageIncludes);
      });
    }
  });
}

/** Covered and coverable lines per reported path, counted from the parsed line hits. */
export function countsOf(report: ParsedCoverageReport): Record<string, Counts> {
  const result: Record<string, Counts> = {};
  for (const file of report.files) {
    const lines = file.lines ?? EMPTY_LINE_HITS;
    result[file.path] = { covered: [...lines.hits].filter((hits) => hits > 0).length, total: lines.lines.length };
  }
  return result;
}

import { describe, expect, it } from 'vitest';
import { codeSpan, LEFT_OUT_CHECK, MAX_UNCOVERED_ISSUES, MUTANT_CHECK, renderCodeQuality, UNCOVERED_CHECK } from '../../../src/render/artifacts/codequality-json.js';
import { baseResult, HOSTILE, mutant, withCoverage, withMutation } from './result-fixture.js';

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

const SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker'];

/** The fields GitLab's code quality widget requires, with their types. */
function checkIssues(json: string): Issue[] {
  const issues = JSON.parse(json) as Issue[];
  expect(Array.isArray(issues)).toBe(true);
  for (const issue of issues) {
    expect(typeof issue.description).toBe('string');
    expect(typeof issue.check_name).toBe('string');
    expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(SEVERITIES).toContain(issue.severity);
    expect(typeof issue.location.path).toBe('string');
    expect(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1).toBe(true);
  }
  expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
  return issues;
}

describe('renderCodeQuality', () => {
  const result = baseResult({
    coverage: withCoverage([
      { path: 'src/a.ts', uncovered: [10, 11, 12, 20], covered: [13] },
      { path: 'src/b.ts', uncovered: [] },
    ]),
    mutation: withMutation([
      mutant({ file: 'src/a.ts' }),
      mutant({ file: 'src/a.ts', location: { start: { line: 30, column: 1 }, end: { line: 31, column: 2 } } }),
      mutant({ file: 'src/c.ts', status: 'NoCoverage', mutatorName: 'StringLiteral', replacement: `"${'x'.repeat(200)}"` }),
      mutant({ file: 'src/d.java', mutatorName: 'NegateConditionals', replacement: null, description: 'negated conditional' }),
    ]),
  });

  it('writes one issue per uncovered range and per surviving mutant', () => {
    const issues = checkIssues(renderCodeQuality(result));
    expect(issues.map((issue) => [issue.check_name, issue.severity, issue.location.path, issue.location.lines.begin, issue.description])).toEqual([
      [UNCOVERED_CHECK, 'minor', 'src/a.ts', 10, 'Lines 10-12 are new and not covered by tests'],
      [UNCOVERED_CHECK, 'minor', 'src/a.ts', 20, 'Line 20 is new and not covered by tests'],
      [MUTANT_CHECK, 'major', 'src/a.ts', 10, 'Surviving `EqualityOperator` mutant on new code (no test failed): replaced with `a !== b`'],
      [MUTANT_CHECK, 'major', 'src/a.ts', 30, 'Surviving `EqualityOperator` mutant on new code (no test failed): replaced with `a !== b`'],
      [MUTANT_CHECK, 'major', 'src/c.ts', 10, expect.stringContaining('`StringLiteral` mutant on new code (no test covers it): replaced with `"')],
      [MUTANT_CHECK, 'major', 'src/d.java', 10, 'Surviving `NegateConditionals` mutant on new code (no test failed): `negated conditional`'],
    ]);
    expect(issues[0]?.location.lines.end).toBe(12);
    expect(issues[3]?.location.lines.end).toBe(31);
    const quoted = /replaced with `(.*)`$/.exec(issues[4]?.description ?? '')?.[1] ?? '';
    expect(Array.from(quoted)).toHaveLength(80);
    expect(quoted.endsWith('…')).toBe(true);
  });

  it('gives fingerprints that are stable across runs and survive a mutant moving down', () => {
    const first = checkIssues(renderCodeQuality(result));
    expect(checkIssues(renderCodeQuality(structuredClone(result)))).toEqual(first);
    const moved = baseResult({
      mutation: withMutation([mutant({ file: 'src/a.ts', location: { start: { line: 15, column: 5 }, end: { line: 15, column: 12 } } })]),
    });
    expect(checkIssues(renderCodeQuality(moved))[0]?.fingerprint).toBe(first[2]?.fingerprint);
    const shiftedRange = baseResult({ coverage: withCoverage([{ path: 'src/a.ts', uncovered: [11, 12] }]) });
    expect(checkIssues(renderCodeQuality(shiftedRange))[0]?.fingerprint).not.toBe(first[0]?.fingerprint);
  });

  it('keys an uncovered range by its source text, so lines added above it keep its fingerprint', () => {
    const before = 'a\nb\nif (low) {\n  alert();\n}\nc\nif (low) {\n  alert();\n}\n';
    const after = `// added\n// added\n${before}`;
    const at = (uncovered: number[], text: string) =>
      checkIssues(renderCodeQuality(baseResult({ coverage: withCoverage([{ path: 'src/a.ts', uncovered }]) }), { readSource: (path) => (path === 'src/a.ts' ? text : null) })).map((issue) => issue.fingerprint);
    const first = at([3, 4, 7, 8], before);
    // The same text twice in one file: two issues, told apart by their rank.
    expect(first).toHaveLength(2);
    expect(new Set(first).size).toBe(2);
    expect(at([5, 6, 9, 10], after)).toEqual(first);
    // Indentation is not content; a changed line is.
    expect(at([3, 4, 7, 8], before.replace('  alert();', '\talert();'))).toEqual(first);
    expect(at([3, 4, 7, 8], before.replace('alert();', 'alert(1);'))[0]).not.toBe(first[0]);
    // Without the source (or when it cannot be read), the line numbers stand in.
    const bare = checkIssues(renderCodeQuality(baseResult({ coverage: withCoverage([{ path: 'src/a.ts', uncovered: [3, 4] }]) }), { readSource: () => { throw new Error('EACCES'); } }));
    expect(bare[0]?.fingerprint).toBe(checkIssues(renderCodeQuality(baseResult({ coverage: withCoverage([{ path: 'src/a.ts', uncovered: [3, 4] }]) })))[0]?.fingerprint);
  });

  it('is bounded: past MAX_UNCOVERED_ISSUES ranges, one notice counts the rest and no more source is read', () => {
    // Every other line uncovered: one range per line; 2,600 files of 2 ranges = 5,200 ranges.
    const files = Array.from({ length: 2_600 }, (_, index) => ({ path: `src/f${String(index).padStart(4, '0')}.ts`, uncovered: [1, 3] }));
    const read: string[] = [];
    const issues = checkIssues(renderCodeQuality(baseResult({ coverage: withCoverage(files) }), { readSource: (path) => (read.push(path), 'a\nb\nc\n') }));
    expect(issues).toHaveLength(MAX_UNCOVERED_ISSUES + 1);
    const notice = issues.at(-1);
    expect(notice).toMatchObject({ check_name: LEFT_OUT_CHECK, severity: 'info', location: { path: 'src/f2500.ts' } });
    expect(notice?.description).toMatch(/^200 more uncovered ranges of new code are left out/);
    expect(read).toHaveLength(2_500);
  });

  it('writes an empty array when there is nothing to report', () => {
    expect(checkIssues(renderCodeQuality(baseResult()))).toEqual([]);
  });

  it('puts mutation-report strings in code spans, so a replacement is never HTML in a description', () => {
    expect(codeSpan('a !== b')).toBe('`a !== b`');
    expect(codeSpan('a `` b')).toBe('`a `` b`');
    expect(codeSpan('x = `t`')).toBe('`` x = `t` ``');
    expect(codeSpan('` and ``` fence')).toBe('`` ` and ``` fence ``');
    expect(codeSpan('')).toBe('` `');
    const tagged = baseResult({ mutation: withMutation([mutant({ file: 'src/a.ts', mutatorName: 'StringLiteral', replacement: '"<img src=x onerror=alert(1)>"' })]) });
    expect(checkIssues(renderCodeQuality(tagged))[0]?.description).toBe(
      'Surviving `StringLiteral` mutant on new code (no test failed): replaced with `"<img src=x onerror=alert(1)>"`',
    );
  });

  it('stays valid JSON with hostile paths and names', () => {
    const path = `src/${HOSTILE}.ts`;
    const hostile = baseResult({
      coverage: withCoverage([{ path, uncovered: [1] }, { path, uncovered: [1] }]),
      mutation: withMutation([mutant({ file: path, mutatorName: HOSTILE, replacement: HOSTILE, location: { start: { line: 0, column: 0 }, end: { line: -1, column: 0 } } })]),
    });
    const json = renderCodeQuality(hostile);
    const issues = checkIssues(json);
    expect(issues.map((issue) => issue.location.path)).toEqual([path, path, path]);
    expect(issues[2]?.location.lines).toEqual({ begin: 1, end: 1 });
    expect(issues[2]?.description).not.toContain('\n');
  });
});

import { describe, expect, it } from 'vitest';
import type { GateResult, QgateResult } from '../../src/model/result.js';
import { renderCoverageLine, renderTerminalSummary, terminalStyleFor } from '../../src/render/terminal.js';
import { emptyResult } from './result-fixtures.js';

function result(gates: GateResult[], overrides: Partial<QgateResult> = {}): QgateResult {
  return emptyResult({
    tool: { name: 'qgate', version: '0.0.0' },
    verdict: 'fail',
    verdictReason: 'blocking gate failed: e2e',
    gates,
    diff: { source: 'git', baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40), changedFiles: 1, addedLines: 2, deletedFiles: 0, warnings: [] },
    ...overrides,
  });
}

const gate = (id: string, unit: GateResult['unit'], actual: number | null, threshold: number | null, reason: string): GateResult => ({
  id, unit, actual, threshold, reason, status: 'fail', blocking: true, formula: '',
});

describe('renderTerminalSummary', () => {
  it('holds percentages to a minimum and counts to a maximum', () => {
    const text = renderTerminalSummary(result([gate('new_code_coverage', '%', 71.42, 80, 'r1'), gate('e2e', 'count', 3, 0, 'r2')]), 'out/result.json');
    // Without a coverage or Cucumber report each gate says so in its own words; the reasons follow in the details.
    expect(text).toContain('FAIL  new_code_coverage  no coverage report given (onMissing: fail)');
    expect(text).toContain('new_code_coverage: r1');
    expect(text).toContain('e2e: r2');
    expect(text.split('\n')[0]).toBe('qgate 0.0.0: FAIL — no coverage report was given — new-code coverage needs one (onMissing: fail); also failed: e2e scenarios');
    expect(text).not.toContain('\u001b');
  });

  it('colours and folds the details in GitLab CI, and honours NO_COLOR', () => {
    const r = result([gate('e2e', 'count', 3, 0, 'r2')]);
    expect(terminalStyleFor({ CI: 'true', GITLAB_CI: 'true' }, {})).toEqual({ color: true, sections: true });
    expect(terminalStyleFor({ CI: 'true', NO_COLOR: '1' }, { isTTY: true })).toEqual({ color: false, sections: false });
    expect(terminalStyleFor({}, { isTTY: true })).toEqual({ color: true, sections: false });
    expect(terminalStyleFor({}, {})).toEqual({ color: false, sections: false });
    const text = renderTerminalSummary(r, 'r.json', { color: true, sections: true });
    const time = Date.parse(r.generatedAt) / 1000;
    expect(text).toContain(`\u001b[0Ksection_start:${time}:qgate_details[collapsed=true]\r\u001b[0K`);
    expect(text).toContain(`\u001b[0Ksection_end:${time}:qgate_details\r\u001b[0K`);
    expect(text).toContain('\u001b[31mFAIL\u001b[0m');
    // The coverage line stays outside the section, uncoloured, for the job's coverage regex.
    expect(text.trimEnd().split('\n').at(-1)).toBe('qgate coverage: n/a overall, n/a on new code');
  });

  it('lists coverage changed in files the MR did not edit as information, counting what it does not list', () => {
    const totals = (covered: number, total: number) => ({ covered, total, percent: (covered / total) * 100 });
    const coverage = {
      newCode: { covered: 0, total: 0, percent: null, files: [], unmeasuredFiles: [] },
      overall: { covered: 1, total: 2, percent: 50, files: 1 },
      unresolvedPaths: [],
      indirect: { compared: 30, files: 21, listed: [{ path: 'src/util.ts', before: totals(10, 12), after: totals(0, 12) }] },
    };
    const text = renderTerminalSummary(result([], { verdict: 'pass', coverage }), 'r.json');
    expect(text).toContain('Coverage changed in 21 files you did not edit (information, no gate counts it):\n  src/util.ts: 10/12 -> 0/12 lines covered\n  ... and 20 more (counted in result.json, not listed)');
  });

  it('cannot be made to move the cursor or fake log lines by a hostile path or reason', () => {
    const text = renderTerminalSummary(result([gate('e2e', 'count', 1, 0, 'x\u001b[2J\nPASS  fake')]), 'r.json');
    expect(text).not.toContain('\u001b');
    expect(text).not.toMatch(/^PASS {2}fake/m);
    const bidi = renderTerminalSummary(result([gate('e2e', 'count', 1, 0, 'src/\u202Eevil.js\u2066x\u200F')]), 'r.json');
    expect(bidi).not.toMatch(/[\u202E\u2066\u200F]/u);
  });
});

describe('renderCoverageLine', () => {
  it('prints n/a when nothing was measured, so the coverage regex finds nothing', () => {
    expect(renderCoverageLine(result([]))).toBe('qgate coverage: n/a overall, n/a on new code');
    expect(/^qgate coverage: (\d+(?:\.\d+)?)%/.test(renderCoverageLine(result([])))).toBe(false);
  });
});

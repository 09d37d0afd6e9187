// A failed run's error report (issue 17 item 2): result.json with `error`, and a comment.md that
// says qgate could not check the MR, escaped like every other comment.
import { describe, expect, it } from 'vitest';
import { buildErrorResult, describeRunError } from '../../src/check/error-report.js';
import { QgateError } from '../../src/errors.js';
import { renderErrorComment, renderErrorReportFiles } from '../../src/render/error-report.js';

const now = () => new Date('2026-12-08T00:00:00Z');

describe('the error report', () => {
  it('carries the catalogue error with its file and position, and no verdict on the changes', () => {
    const error = new QgateError('INPUT_MALFORMED', 'has a malformed DA record "DA:1e3,1".', { file: 'coverage/lcov.info', position: { line: 3 }, format: 'lcov' });
    const result = buildErrorResult(error, { diffFile: 'mr.diff' }, now);
    expect(result).toMatchObject({ verdict: 'fail', verdictReason: 'qgate could not check the merge request: INPUT_MALFORMED', gates: [], inputs: [], generatedAt: '2026-12-08T00:00:00.000Z' });
    expect(result.diff.source).toBe('diff-file');
    expect(result.error).toEqual({
      code: 'INPUT_MALFORMED',
      exitCode: 3,
      message: 'has a malformed DA record "DA:1e3,1".',
      file: 'coverage/lcov.info',
      position: { line: 3, column: null },
      hint: error.hint,
    });
    expect(renderErrorReportFiles(result).map(([name]) => name)).toEqual(['result.json', 'comment.md']);
    expect(JSON.parse(renderErrorReportFiles(result)[0]![1])).toEqual(result);
  });

  it('an error that is not qgate\'s own is reported as a bug, without its stack', () => {
    const described = describeRunError(new TypeError('notes.map is not a function'));
    expect(described).toEqual({
      code: 'INTERNAL',
      exitCode: 3,
      message: 'internal error: notes.map is not a function',
      file: null,
      position: null,
      hint: 'This is a bug in qgate; rerun with QGATE_DEBUG=1 for details and report it.',
    });
  });

  it('comment.md names the code, the place and what to do, with the file and message escaped', () => {
    const error = describeRunError(new QgateError('INPUT_NOT_FOUND', 'does not exist; ask @all <script>alert(1)</script> [x](javascript:alert(1))', { file: 'cov`er/a.info', position: { line: 2, column: 7 } }));
    const comment = renderErrorComment(error, '1.2.3');
    expect(comment.split('\n')[0]).toBe('<!-- qgate:sticky-note -->');
    expect(comment).toContain('### ⚠️ qgate could not check this merge request');
    expect(comment).toContain('(exit code 3) before any gate ran');
    expect(comment).toContain('**`INPUT_NOT_FOUND`** ``cov`er/a.info:2:7``: does not exist');
    expect(comment).not.toContain('<script>');
    expect(comment).not.toContain('@all');
    expect(comment).not.toContain('[x](');
    expect(comment).toContain('**What to do:** Check the path');
    expect(comment.trimEnd().endsWith('<sub>qgate 1.2.3</sub>')).toBe(true);
  });
});

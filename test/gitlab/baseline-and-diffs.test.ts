import { describe, expect, it } from 'vitest';
import { changedLinesFromMergeRequestDiffs } from '../../src/diff/gitlab-mr-diffs.js';
import type { GitLabMergeRequestDiff } from '../../src/gitlab/port.js';
import { parseBaselineResult } from '../../src/inputs/baseline/qgate-result.js';
import { snapshotResult } from '../../src/scorecard/snapshot.js';
import { failingResult } from '../render/result-fixtures.js';

describe('parseBaselineResult', () => {
  /** A real, schema-valid result (the render fixtures'), as the target branch's artifact would hold. */
  const full = failingResult();
  const base = { ...full, generatedAt: '2026-11-20T10:00:00.000Z', diff: { ...full.diff, headSha: 'c'.repeat(40) } };
  const withOverall = (percent: unknown) => ({ ...base, coverage: { ...base.coverage!, overall: { ...base.coverage!.overall, percent } } });

  it('reads overall coverage and the tracked k6 statistics as a run to compare with', () => {
    const performance = {
      ...base.performance!,
      run: { ...base.performance!.run, loadProfile: { vusMax: 10, iterations: 500, durationMs: 30000 } },
      comparison: {
        ...base.performance!.comparison,
        metrics: [
          { ...base.performance!.comparison.metrics[1]!, metric: 'http_req_duration', stat: 'p(95)', current: 212.5 },
          { ...base.performance!.comparison.metrics[0]!, metric: 'http_req_failed', stat: 'rate', current: 0.01 },
          { ...base.performance!.comparison.metrics[0]!, metric: 'checks', stat: 'rate', current: null },
        ],
      },
    };
    const parsed = parseBaselineResult(JSON.stringify({ ...withOverall(81.5), performance }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.baseline).toMatchObject({ commitSha: 'c'.repeat(40), overallCoveragePercent: 81.5 });
    expect(parsed.baseline.k6).toMatchObject({
      format: 'qgate-result',
      loadProfile: { vusMax: 10, iterations: 500, durationMs: 30000 },
      metrics: [
        { name: 'http_req_duration', type: 'trend', values: { 'p(95)': 212.5 } },
        { name: 'http_req_failed', type: 'rate', values: { rate: 0.01 } },
      ],
    });
  });

  it('reads each file\'s coverage (coverage.perFile), and none from an older result without it', () => {
    const perFile = { 'src/a.ts': [3, 4], 'src/empty.ts': [0, 0], 'src/odd.ts': [5, 4] };
    // JSON text, not an object literal: `__proto__` is a key as the artifact would hold it.
    const text = JSON.stringify(base).replace('"unresolvedPaths":', `"perFile":${JSON.stringify(perFile).replace('{', '{"__proto__":[1,1],')},"unresolvedPaths":`);
    const parsed = parseBaselineResult(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // Covered above total cannot be a measurement: that entry is dropped, the others kept.
    expect(parsed.baseline.perFile && Object.fromEntries(parsed.baseline.perFile)).toEqual(
      JSON.parse('{"__proto__":[1,1],"src/a.ts":[3,4],"src/empty.ts":[0,0]}'),
    );
    const older = parseBaselineResult(JSON.stringify(base));
    expect(older.ok && older.baseline.perFile).toBeNull();
    const noCoverage = parseBaselineResult(JSON.stringify({ ...base, coverage: null }));
    expect(noCoverage.ok && noCoverage.baseline.perFile).toBeNull();
  });

  it('refuses a perFile entry that is not a [covered, total] pair of counts as damaged', () => {
    for (const perFile of [{ 'src/a.ts': [1] }, { 'src/a.ts': [1.5, 2] }, { 'src/a.ts': [-1, 2] }, { 'src/a.ts': '1/2' }]) {
      const parsed = parseBaselineResult(JSON.stringify({ ...base, coverage: { ...base.coverage!, perFile } }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/^the artifact is damaged: .*\/coverage\/perFile\/src~1a.ts/);
    }
  });

  it('refuses what is not a readable qgate result with the message the scorecard gives too', () => {
    expect(parseBaselineResult('{"schemaVersion":1')).toEqual({ ok: false, reason: 'the artifact is not valid JSON' });
    expect(parseBaselineResult('{"verdict":"pass"}')).toEqual({ ok: false, reason: 'the artifact is not a qgate result.json' });
    expect(parseBaselineResult(JSON.stringify({ ...base, schemaVersion: 2 }))).toEqual({
      ok: false,
      reason: 'the artifact has schemaVersion 2 (written by qgate 0.1.0); this qgate reads schemaVersion 1: upgrade qgate to read it',
    });
    expect(snapshotResult(JSON.stringify({ ...base, schemaVersion: 2 }))).toEqual({
      problem: 'has schemaVersion 2 (written by qgate 0.1.0); this qgate reads schemaVersion 1: upgrade qgate to read it',
    });
  });

  it('refuses a damaged result (hostile field types) instead of trusting it, naming the field', () => {
    for (const damaged of [withOverall('100'), { ...base, diff: { ...base.diff, headSha: 42 } }, { ...base, performance: { ...base.performance!, comparison: { metrics: 'x' } } }]) {
      const parsed = parseBaselineResult(JSON.stringify(damaged));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/^the artifact is damaged: it does not match the result.json schema \(schemaVersion 1\): \/(coverage|diff|performance)\//);
    }
  });

  it('still drops values that fit the schema but no real run has: a shell string as SHA, a percent outside 0-100', () => {
    const parsed = parseBaselineResult(JSON.stringify({ ...base, diff: { ...base.diff, headSha: '$(rm -rf /)' } }));
    expect(parsed.ok && parsed.baseline.commitSha).toBeNull();
    for (const percent of [-5, 100.5, 1e6]) {
      const out = parseBaselineResult(JSON.stringify(withOverall(percent)));
      expect(out.ok && out.baseline.overallCoveragePercent).toBeNull();
    }
  });
});

describe('changed lines from the merge request diffs API', () => {
  const entry = (fields: Partial<GitLabMergeRequestDiff> & { newPath: string }): GitLabMergeRequestDiff => ({
    oldPath: fields.newPath,
    diff: '',
    newFile: false,
    renamedFile: false,
    deletedFile: false,
    tooLarge: false,
    collapsed: false,
    aMode: '100644',
    bMode: '100644',
    ...fields,
  });

  it('maps GitLab\'s entries: renames, new, deleted, binary, mode-only and empty new files', async () => {
    const { summary, leftOut } = await changedLinesFromMergeRequestDiffs(
      [
        entry({ oldPath: 'a.js', newPath: 'b.js', diff: '@@ -1 +1 @@\n-x\n+y\n', renamedFile: true }),
        entry({ newPath: 'moved.js', oldPath: 'old.js', renamedFile: true }),
        entry({ newPath: 'n.js', diff: '@@ -0,0 +1,2 @@\n+1\n+2\n', newFile: true, aMode: '0' }),
        entry({ newPath: 'gone.js', deletedFile: true }),
        entry({ newPath: 'logo.png', diff: 'Binary files a/logo.png and b/logo.png differ\n' }),
        entry({ newPath: 'run.sh', bMode: '100755' }),
        entry({ newPath: 'empty.txt', newFile: true, aMode: '0' }),
      ],
      { baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) },
      (path) => path === 'empty.txt',
    );
    expect(leftOut).toEqual([]);
    expect(summary.source).toBe('gitlab-api');
    expect(summary.deletedFiles).toBe(1);
    expect(summary.files.map((file) => [file.path, file.status, file.addedLines, file.binary])).toEqual([
      ['b.js', 'renamed', [1], false],
      ['moved.js', 'renamed', [], false],
      ['n.js', 'added', [1, 2], false],
      ['logo.png', 'modified', [], true],
      ['empty.txt', 'added', [], false],
    ]);
  });

  it('names the files whose hunks GitLab left out, flagged or not (older GitLab sends no flags)', async () => {
    const { leftOut } = await changedLinesFromMergeRequestDiffs(
      [
        entry({ newPath: 'flagged.js', tooLarge: true }),
        entry({ newPath: 'collapsed.js', collapsed: true }),
        entry({ newPath: 'silent.js' }),
        entry({ newPath: 'big-new.js', newFile: true, aMode: '0' }),
      ],
      { baseSha: null, headSha: null },
      () => false,
    );
    expect(leftOut).toEqual(['flagged.js', 'collapsed.js', 'silent.js', 'big-new.js']);
  });
});

/** Step: measure the evidence against the diff — coverage of new code, E2E, mutation. */
import picomatch from 'picomatch';
import type { QgateConfig } from '../config/types.js';
import type { GitDiffSummary } from '../diff/git-diff.js';
import type { RepoFiles } from '../diff/repo-files.js';
import { mergeCoverage, type CoverageInput, type MergedCoverage } from '../measure/merge-coverage.js';
import { measureNewCode } from '../measure/new-code-coverage.js';
import type { CoverageResult, QgateResult } from '../model/result.js';
import type { Inputs } from './read-inputs.js';
import { toPosix } from './paths.js';
import { markUntrackedFiles } from './untracked.js';
import { generatedFiles } from './generated.js';
import { createSourceReader } from '../inputs/read-source.js';
import { collectWaivers } from '../measure/waivers.js';
import { checkCoverageEvidence } from '../measure/coverage-evidence.js';
import type { GitLabCiContext } from '../ci-env.js';

export interface Measurements {
  coverage: CoverageResult | null;
  merged: MergedCoverage | null;
  diff: QgateResult['diff'];
  e2e: QgateResult['e2e'];
  mutation: QgateResult['mutation'];
  /** Loaded only when a k6 run was given; the comparison waits for the baseline. */
  comparePerformance: typeof import('../measure/perf-history.js').comparePerformanceWithHistory | null;
}

function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  // picomatch defaults: case-sensitive, and `*`/`**` skip dot-names, as gates/default.yml documents.
  return picomatch(globs as string[]);
}

export async function measure(
  inputs: Inputs,
  diff: GitDiffSummary,
  repoFiles: RepoFiles,
  config: QgateConfig,
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>>,
  ci: Pick<GitLabCiContext, 'parallelSlice'>,
): Promise<Measurements> {
  const isGenerated = inputs.coverage.length > 0 ? await generatedFiles(repoRoot, diff.files.map((file) => file.path), config.coverage.generated, env) : () => false;
  // The tracked files, as a set once: path resolution, the source reader and the mutation index use it.
  const repoIndex = { root: toPosix(repoRoot), files: new Set(repoFiles.files) };
  const measured = measureCoverage(inputs.coverage, diff, repoFiles, repoIndex, config, repoRoot, isGenerated);
  const { merged } = measured;
  // Said once per report, on the report: where shards disagree on which lines are coverable.
  for (const [file, disagreement] of merged?.disagreements ?? []) {
    const record = inputs.records.find((candidate) => candidate.kind === 'coverage' && candidate.path === file);
    record?.warnings.push(
      `${disagreement.files === 1 ? `${disagreement.example} has` : `${disagreement.files} files (${disagreement.example}, …) have`} ${disagreement.lines} coverable ${disagreement.lines === 1 ? 'line' : 'lines'} that an earlier report does not list, or the reverse (different instrumentation?); each counts as coverable, and covered when any report ran it.`,
    );
  }
  const slice = ci.parallelSlice;
  const evidence = measured.coverage === null ? null : checkCoverageEvidence(config.coverage.expect, inputs.coverage.map((input) => input.file), slice === null ? null : Number(slice.split('/')[1]));
  const coverage = measured.coverage === null || evidence === null ? measured.coverage : { ...measured.coverage, evidence };
  if (merged !== null) await markUntrackedFiles(merged, inputs.coverage, repoRoot, env);
  const { other } = inputs;
  const e2e = other.e2eReports.length > 0 ? (await import('../measure/e2e-summary.js')).summarizeE2e(other.e2eReports, { tags: config.gates.e2e.tags }) : null;
  const comparePerformance = other.k6 ? (await import('../measure/perf-history.js')).comparePerformanceWithHistory : null;
  const mutation = other.mutation
    ? (await import('../measure/mutation-score.js')).measureMutation(other.mutation.report, diff, { repo: repoIndex, reportDir: other.mutation.reportDir })
    : null;
  const waivers = collectWaivers(diff, isGenerated);
  return { coverage, merged, diff: { ...summarizeDiff(diff), ...(waivers !== null ? { waivers } : {}) }, e2e, mutation, comparePerformance };
}

function measureCoverage(
  inputs: CoverageInput[],
  diff: GitDiffSummary,
  repoFiles: RepoFiles,
  repoIndex: { root: string; files: ReadonlySet<string> },
  config: QgateConfig,
  repoRoot: string,
  isGenerated: (path: string) => boolean,
): { coverage: CoverageResult | null; merged: MergedCoverage | null } {
  if (inputs.length === 0) return { coverage: null, merged: null };
  const merged = mergeCoverage(inputs, repoIndex);
  const newCode = measureNewCode(diff, merged, {
    isSource: compileGlobs(config.coverage.sources),
    isExcluded: compileGlobs(config.coverage.exclude),
    symlinks: repoFiles.symlinks,
    isGenerated,
    readSource: createSourceReader(repoRoot, repoIndex.files, repoFiles.symlinks),
    lines: config.gates.new_code_coverage.lines,
  });
  return { coverage: { newCode, overall: merged.overall, unresolvedPaths: merged.unresolved }, merged };
}

function summarizeDiff(diff: GitDiffSummary): QgateResult['diff'] {
  return {
    source: diff.source,
    baseSha: diff.baseSha,
    headSha: diff.headSha,
    changedFiles: diff.files.length,
    addedLines: diff.files.reduce((sum, file) => sum + file.addedLines.length, 0),
    deletedFiles: diff.deletedFiles,
    warnings: diff.warnings,
    ...('range' in diff && diff.range !== undefined ? { range: diff.range } : {}),
    ...('baseFrom' in diff && diff.baseFrom !== undefined ? { baseFrom: diff.baseFrom } : {}),
    ...('baseUnknown' in diff && diff.baseUnknown !== undefined ? { baseUnknown: diff.baseUnknown } : {}),
  };
}

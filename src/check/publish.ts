/**
 * Step: render and write every report file. Files are written before any network call that
 * could hang, so nothing is lost when GitLab is unreachable.
 */
import { resolve } from 'node:path';
import type { GitLabCiContext } from '../ci-env.js';
import type { GitDiffSummary } from '../diff/git-diff.js';
import type { RepoFiles } from '../diff/repo-files.js';
import { createSourceReader } from '../inputs/read-source.js';
import type { MergedCoverage } from '../measure/merge-coverage.js';
import type { QgateResult } from '../model/result.js';
import { relativeInside } from '../path-inside.js';
import { writeReportFiles } from '../publish/write-report-files.js';
import { renderReportFiles } from '../render/report-files.js';
import type { RunContext } from './context.js';
import { toPosix } from './paths.js';

export interface Published {
  written: Awaited<ReturnType<typeof writeReportFiles>>;
  comment: string;
  warnings: string[];
}

export interface Publisher {
  /** `out/result.json` relative to the repository root; null when the output is outside it. */
  resultPath: string | null;
  publish(result: QgateResult): Promise<Published>;
}

export function createPublisher(
  context: RunContext,
  out: string,
  repoRoot: string,
  diff: GitDiffSummary,
  repoFiles: RepoFiles,
  listedByGit: boolean,
  merged: MergedCoverage | null,
  ci: GitLabCiContext,
): Publisher {
  const outDir = resolve(context.cwd, out);
  const outInRepo = relativeInside(repoRoot, outDir);
  const outDirInRepo = outInRepo === null || outInRepo === '' ? null : toPosix(outInRepo);
  const renderContext = {
    env: context.env,
    ci,
    repoRoot: toPosix(repoRoot),
    outDirInRepo,
    changedPaths: new Set(diff.files.map((file) => file.path)),
    // Only when git listed the files: a diff file outside a repository gives no source.
    ...(listedByGit ? { readSource: createSourceReader(repoRoot, new Set(repoFiles.files), repoFiles.symlinks) } : {}),
  };
  return {
    resultPath: outDirInRepo === null ? null : `${outDirInRepo}/result.json`,
    async publish(result) {
      const rendered = renderReportFiles(result, merged, renderContext);
      const written = await writeReportFiles(context.cwd, outDir, rendered.files);
      const comment = rendered.files.find(([name]) => name === 'comment.md')?.[1] ?? '';
      return { written, comment, warnings: rendered.warnings };
    },
  };
}

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
import { openReportFolder, type ReportFolder } from '../publish/write-report-files.js';
import { renderReportFiles } from '../render/report-files.js';
import type { RunContext } from './context.js';
import { toPosix } from './paths.js';

/**
 * The run's report folder, opened (locked, checked, cleaned of a killed run's leftovers) at the
 * first write and held until the run ends, so a second run into the same `--out` is refused
 * rather than interleaved with this one's two writes.
 */
export interface RunReportFolder {
  write(files: ReadonlyArray<readonly [string, string]>): Promise<{ resultJson: string }>;
  release(): Promise<void>;
}

export function createRunReportFolder(cwd: string, out: string): RunReportFolder {
  const outDir = resolve(cwd, out);
  let opened: Promise<ReportFolder> | null = null;
  return {
    async write(files) {
      // A failed open is tried again by the next write: the error report of a failed run.
      opened ??= openReportFolder(cwd, outDir).catch((error: unknown) => {
        opened = null;
        throw error;
      });
      return (await opened).write(files);
    },
    async release() {
      const folder = opened;
      opened = null;
      if (folder !== null) await (await folder.catch(() => null))?.release();
    },
  };
}

export interface Published {
  written: { resultJson: string };
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
  folder: RunReportFolder,
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
      const written = await folder.write(rendered.files);
      const comment = rendered.files.find(([name]) => name === 'comment.md')?.[1] ?? '';
      return { written, comment, warnings: rendered.warnings };
    },
  };
}

/**
 * Every report file of one run, rendered from the one result (and, for cobertura.xml, the
 * merged line data result.json does not carry). Pure: the publish stage writes them.
 */
import { readCiContext, type GitLabCiContext } from '../ci-env.js';
import type { MergedCoverage } from '../measure/merge-coverage.js';
import type { QgateResult } from '../model/result.js';
import { renderCoberturaXml, selectCoberturaFiles } from './artifacts/cobertura-xml.js';
import { renderCodeQuality } from './artifacts/codequality-json.js';
import { renderJunitXml } from './artifacts/junit-xml.js';
import { renderMetrics } from './artifacts/metrics-txt.js';
import { renderCommentFor } from './comment.js';
import { renderHtmlReport } from './html-report.js';

export interface ReportFilesContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Absolute repository root, POSIX separators: Cobertura's `<source>`. */
  repoRoot: string;
  /** The output folder relative to the repository root, or null when it lies outside. */
  outDirInRepo: string | null;
  /** Repo paths the MR changed: GitLab shows coverage only on the MR diff, so they go first. */
  changedPaths: ReadonlySet<string>;
  /**
   * The text of a changed file for index.html's source view, or null when it must not be read.
   * The caller (the run stage) allows only tracked, regular, non-symlink files inside the
   * repository and caps their size; absent, index.html lists line numbers with their status only.
   */
  readSource?: (path: string) => string | null;
  /** The CI variables, parsed once by the run; parsed from `env` when absent. */
  ci?: GitLabCiContext;
}

export interface RenderedReportFiles {
  /** File name → content, in writing order (result.json first). */
  files: Array<[string, string]>;
  /** Things the reader should know about the files themselves (e.g. cobertura.xml truncated). */
  warnings: string[];
}

export function renderReportFiles(result: QgateResult, merged: MergedCoverage | null, context: ReportFilesContext): RenderedReportFiles {
  const warnings: string[] = [];
  const ci = context.ci ?? readCiContext(context.env);
  const jobUrl = ci.jobUrl;
  // GitLab's artifact view of one file of the job: the HTML report written beside the comment.
  const reportUrl =
    jobUrl !== null && context.outDirInRepo !== null
      ? `${jobUrl}/artifacts/file/${[...context.outDirInRepo.split('/'), 'index.html'].map(encodeURIComponent).join('/')}`
      : null;
  const files: Array<[string, string]> = [
    ['result.json', `${JSON.stringify(result, null, 2)}\n`],
    [
      'comment.md',
      renderCommentFor(result, {
        projectUrl: ci.projectUrl,
        commitSha: ci.commitSha,
        reportUrl,
        reportPath: `${context.outDirInRepo ?? 'qgate-report'}/index.html`,
        pipelineId: ci.pipelineId,
      }),
    ],
    [
      'index.html',
      renderHtmlReport(result, {
        projectUrl: ci.projectUrl,
        commitSha: ci.commitSha,
        reportUrl: null,
        ...(context.readSource ? { readSource: context.readSource } : {}),
      }),
    ],
    ['junit.xml', renderJunitXml(result, { includeScenarios: true })],
    ['codequality.json', renderCodeQuality(result, context.readSource ? { readSource: context.readSource } : {})],
    ['metrics.txt', renderMetrics(result)],
  ];
  if (merged !== null) {
    const selection = selectCoberturaFiles(merged, context.changedPaths);
    if (selection.truncated > 0) {
      warnings.push(`cobertura.xml leaves out ${selection.truncated} changed files to stay under GitLab's 10 MiB limit for coverage reports.`);
    }
    // Milliseconds, as Cobertura itself and coverage.py write it.
    const timestamp = Date.parse(result.generatedAt);
    files.push(['cobertura.xml', renderCoberturaXml(selection.files, { timestamp, sourceRoot: context.repoRoot, leftOut: selection })]);
  }
  return { files, warnings };
}

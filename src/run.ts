/**
 * Orchestration of `qgate check`: config → inputs → diff → measure → gates → outputs.
 * Takes an explicit context and never touches `process`: the CLI owns that.
 */
import { realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { loadConfig } from './config/load-config.js';
import type { CoverageReportConfig, QgateConfig } from './config/types.js';
import { collectChangedLines } from './diff/git-diff.js';
import { readChangedLinesFromDiffFile } from './diff/diff-file.js';
import { listRepoFiles } from './diff/repo-files.js';
import { findRepoRoot } from './diff/repo-root.js';
import { QgateError, type ExitCode } from './errors.js';
import { decideVerdict, evaluateGates } from './gates/evaluate.js';
import { readCoverageReport } from './inputs/coverage/registry.js';
import { mergeCoverage, type CoverageInput } from './measure/merge-coverage.js';
import { measureNewCode } from './measure/new-code-coverage.js';
import type { CoverageFormat } from './model/coverage.js';
import { RESULT_SCHEMA_VERSION, type CoverageResult, type InputRecord, type QgateResult } from './model/result.js';
import { removeStaleResult, writeReportFiles } from './publish/write-report-files.js';
import { renderTerminalSummary } from './render/terminal.js';

export interface RunContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now: () => Date;
}

export interface CheckOptions {
  config?: string;
  preset?: string;
  out: string;
  coverage: string[];
  format?: CoverageFormat;
  base?: string;
  head?: string;
  diffFile?: string;
  comment: boolean;
}

export const QGATE_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** The report list: CLI paths win; a config entry with the same path lends its `format`/`root`. */
function selectReports(options: CheckOptions, config: QgateConfig): Array<CoverageReportConfig & { fromConfig: boolean }> {
  if (options.coverage.length === 0) return config.coverage.reports.map((report) => ({ ...report, fromConfig: true }));
  return options.coverage.map((path) => {
    const configured = config.coverage.reports.find((report) => report.path === path);
    const format = options.format ?? configured?.format;
    return {
      path,
      ...(format ? { format } : {}),
      ...(configured?.root !== undefined ? { root: configured.root } : {}),
      fromConfig: false,
    };
  });
}

async function readCoverageInputs(
  reports: ReturnType<typeof selectReports>,
  cwd: string,
  repoRoot: string,
): Promise<{ inputs: CoverageInput[]; records: InputRecord[] }> {
  const inputs: CoverageInput[] = [];
  const records: InputRecord[] = [];
  for (const entry of reports) {
    // Config paths are relative to the repository root; command-line paths to the working directory.
    const absolute = resolve(entry.fromConfig ? repoRoot : cwd, entry.path);
    let real = absolute;
    try {
      real = await realpath(absolute);
    } catch {
      // Missing files are reported by openInput with the right code.
    }
    const inside = relative(repoRoot, real);
    const insideRepo = inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
    if (entry.fromConfig && !insideRepo) {
      // .qgate.yml is part of the merge request: it must not make qgate read files outside the checkout.
      throw new QgateError('INPUT_UNREADABLE', 'is outside the repository checkout; coverage.reports in .qgate.yml may only name files inside it.', {
        file: entry.path,
        hint: 'Move the report into the checkout, or pass it with --coverage on the command line.',
      });
    }
    const report = await readCoverageReport(entry.path, absolute, entry.format);
    const reportDir = insideRepo ? toPosix(dirname(inside)) : null;
    inputs.push({
      file: entry.path,
      report,
      reportDir: reportDir === '.' ? '' : reportDir,
      ...(entry.root !== undefined ? { root: entry.root } : {}),
    });
    records.push({
      kind: 'coverage',
      path: entry.path,
      format: report.format,
      files: report.files.length,
      producerTotals: report.producerTotals ?? null,
      warnings: report.warnings,
    });
  }
  return { inputs, records };
}

function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  // picomatch defaults: case-sensitive, and `*`/`**` skip dot-names, as gates/default.yml documents.
  return picomatch(globs as string[]);
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

export interface CheckOutcome {
  result: QgateResult;
  exitCode: ExitCode;
}

export async function runCheck(options: CheckOptions, context: RunContext): Promise<CheckOutcome> {
  try {
    return await check(options, context);
  } catch (error) {
    // A result.json from an earlier run must not be uploaded as this run's verdict.
    await removeStaleResult(resolve(context.cwd, options.out));
    throw error;
  }
}

async function check(options: CheckOptions, context: RunContext): Promise<CheckOutcome> {
  const { config, files: configFiles } = await loadConfig({
    cwd: context.cwd,
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
  });

  const repoRoot = (await findRepoRoot(context.cwd, context.env)) ?? (options.diffFile ? context.cwd : null);
  if (repoRoot === null) {
    throw new QgateError('GIT_NOT_A_REPO', `${context.cwd} is not inside a git repository.`);
  }

  // git runs while the reports are parsed; its outcome is held, not thrown, so that input
  // errors are reported first and no rejection goes unobserved meanwhile.
  const diffOutcome = settle(
    options.diffFile !== undefined
      ? readChangedLinesFromDiffFile(options.diffFile, resolve(context.cwd, options.diffFile))
      : collectChangedLines({
          cwd: repoRoot,
          env: context.env,
          ...(options.base !== undefined ? { base: options.base } : {}),
          ...(options.head !== undefined ? { head: options.head } : {}),
        }),
  );
  const repoFilesOutcome = settle(listRepoFiles(repoRoot, context.env));

  // Every input is read before anything is written: bad input never leaves a half-verdict behind.
  const reports = selectReports(options, config);
  const { inputs, records } = await readCoverageInputs(reports, context.cwd, repoRoot);
  const diff = unwrap(await diffOutcome);

  let repoFiles: { files: string[]; symlinks: Set<string> };
  const listed = await repoFilesOutcome;
  if (listed.ok) {
    repoFiles = listed.value;
  } else {
    if (options.diffFile === undefined) throw listed.error;
    // A diff file outside any repository: the changed files are all we know exist.
    repoFiles = { files: diff.files.map((file) => file.path), symlinks: new Set() };
    diff.warnings.push('not a git repository: report paths are matched against the diff file only');
  }

  let coverage: CoverageResult | null = null;
  if (inputs.length > 0) {
    const merged = mergeCoverage(inputs, { root: toPosix(repoRoot), files: new Set(repoFiles.files) });
    const newCode = measureNewCode(diff, merged, {
      isSource: compileGlobs(config.coverage.sources),
      isExcluded: compileGlobs(config.coverage.exclude),
      symlinks: repoFiles.symlinks,
    });
    coverage = { newCode, overall: merged.overall, unresolvedPaths: merged.unresolved };
  }

  const diffResult = {
    source: diff.source,
    baseSha: diff.baseSha,
    headSha: diff.headSha,
    changedFiles: diff.files.length,
    addedLines: diff.files.reduce((sum, file) => sum + file.addedLines.length, 0),
    deletedFiles: diff.deletedFiles,
    warnings: diff.warnings,
  };
  const gates = evaluateGates({ config, coverage, diff: diffResult, baseline: null });
  const { verdict, reason } = decideVerdict(gates);
  const result: QgateResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'qgate', version: QGATE_VERSION },
    generatedAt: context.now().toISOString(),
    verdict,
    verdictReason: reason,
    gates,
    diff: diffResult,
    coverage,
    inputs: records,
    configFiles,
  };

  const outDir = resolve(context.cwd, options.out);
  const written = await writeReportFiles(outDir, result);
  context.stdout.write(renderTerminalSummary(result, relative(context.cwd, written.resultJson) || written.resultJson));
  return { result, exitCode: verdict === 'fail' ? 1 : 0 };
}

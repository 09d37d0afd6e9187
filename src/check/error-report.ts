/**
 * Step, when the run fails (exit 2 or 3): the error report. A failed run leaves its own
 * result.json and comment.md saying why it could not check the MR, so the job never publishes
 * the previous run's files as its verdict (docs/result-json.md, "A run that failed").
 */
import { resolve } from 'node:path';
import { isQgateError } from '../errors.js';
import { RESULT_SCHEMA_VERSION, type QgateResult, type RunError } from '../model/result.js';
import { isFolderBusy, removeStaleResult } from '../publish/write-report-files.js';
import { renderErrorReportFiles } from '../render/error-report.js';
import { QGATE_VERSION } from '../version.js';
import type { CheckOptions, RunContext } from './context.js';
import type { RunReportFolder } from './publish.js';

/** The error as result.json carries it; an error that is not qgate's own is a bug, said so. */
export function describeRunError(error: unknown): RunError {
  if (isQgateError(error)) {
    return {
      code: error.code,
      exitCode: error.exitCode,
      message: error.message,
      file: error.file ?? null,
      position: error.position === undefined ? null : { line: error.position.line, column: error.position.column ?? null },
      hint: error.hint,
    };
  }
  return {
    code: 'INTERNAL',
    exitCode: 3,
    message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
    file: null,
    position: null,
    hint: 'This is a bug in qgate; rerun with QGATE_DEBUG=1 for details and report it.',
  };
}

/**
 * A result of schemaVersion 1 that says the run stopped: every field a reader of that version
 * expects is there, no gate ran, and `error` tells why.
 */
export function buildErrorResult(error: unknown, options: Pick<CheckOptions, 'diffFile'>, now: () => Date): QgateResult & { error: RunError } {
  const runError = describeRunError(error);
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'qgate', version: QGATE_VERSION },
    generatedAt: now().toISOString(),
    verdict: 'fail',
    verdictReason: `qgate could not check the merge request: ${runError.code}`,
    gates: [],
    diff: { source: options.diffFile === undefined ? 'git' : 'diff-file', baseSha: null, headSha: null, changedFiles: 0, addedLines: 0, deletedFiles: 0, warnings: [] },
    coverage: null,
    baseline: null,
    e2e: null,
    performance: null,
    mutation: null,
    inputs: [],
    configFiles: [],
    error: runError,
  };
}

/**
 * Writes the error report of a failed run into its folder. When the folder cannot take it
 * (refused as a symlink, a full disk), the earlier run's files are at least removed; when
 * another run holds the folder, its files are that run's and stay.
 */
export async function leaveErrorReport(error: unknown, options: Pick<CheckOptions, 'diffFile' | 'out'>, context: RunContext, folder: RunReportFolder): Promise<void> {
  if (isFolderBusy(error)) return;
  const result = buildErrorResult(error, options, context.now);
  try {
    await folder.write(renderErrorReportFiles(result));
  } catch (writeError) {
    if (isFolderBusy(writeError)) {
      context.stderr.write(`qgate: the error report was not written: ${(writeError as Error).message}\n`);
      return;
    }
    await removeStaleResult(context.cwd, resolve(context.cwd, options.out));
  }
}

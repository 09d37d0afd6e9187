/** The readable job-log summary, and the one line GitLab's `coverage:` regex reads. */
import type { QgateResult } from '../model/result.js';
import { formatRanges } from './line-ranges.js';

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const;

/** Terminal output must not let a hostile path move the cursor or fake lines: drop control characters. */
function clean(text: string): string {
  // Control characters, line separators, and invisible format characters (\p{Cf}: bidi
  // overrides and isolates, zero-width marks) that could reorder or hide text in the log.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu, '?');
}

/** Log lines shown per section before "and N more". */
const MAX_LISTED = 20;

export function renderTerminalSummary(result: QgateResult, reportPath: string): string {
  const out: string[] = [];
  out.push(`qgate ${result.tool.version}: ${result.verdict.toUpperCase()} (${clean(result.verdictReason)})`);
  const width = Math.max(...result.gates.map((gate) => gate.id.length));
  for (const gate of result.gates) {
    // Percentages are held to a minimum; counts (failed scenarios, problems) to a maximum.
    const suffix = gate.unit === '%' ? '%' : '';
    const bound = gate.unit === '%' ? 'min' : 'max';
    const actual = gate.actual === null ? 'n/a' : `${gate.actual}${suffix}`;
    const threshold = gate.threshold === null ? '' : ` (${bound} ${gate.threshold}${suffix})`;
    const blocking = gate.blocking ? '' : ' [non-blocking]';
    out.push(`  ${MARK[gate.status]}  ${gate.id.padEnd(width)}  ${actual}${threshold}${blocking}: ${clean(gate.reason)}`);
  }
  const diff = result.diff;
  const base = diff.baseSha ? diff.baseSha.slice(0, 12) : '?';
  const head = diff.headSha ? diff.headSha.slice(0, 12) : '?';
  out.push(`New code: ${diff.addedLines} changed lines in ${diff.changedFiles} files (${diff.source} ${base}..${head})`);
  for (const warning of diff.warnings) out.push(`  warning: ${clean(warning)}`);

  const coverage = result.coverage;
  if (coverage) {
    const uncovered = coverage.newCode.files.filter((file) => file.uncoveredLines.length > 0);
    if (uncovered.length > 0) {
      out.push('Uncovered new lines:');
      for (const file of uncovered.slice(0, MAX_LISTED)) out.push(`  ${clean(file.path)}: ${formatRanges(file.uncoveredLines)}`);
      if (uncovered.length > MAX_LISTED) out.push(`  ... and ${uncovered.length - MAX_LISTED} more files (see result.json)`);
    }
    const unmeasured = coverage.newCode.unmeasuredFiles;
    if (unmeasured.length > 0) {
      out.push('Changed source files in no coverage report:');
      for (const path of unmeasured.slice(0, MAX_LISTED)) out.push(`  ${clean(path)}`);
      if (unmeasured.length > MAX_LISTED) out.push(`  ... and ${unmeasured.length - MAX_LISTED} more`);
    }
    const unresolved = coverage.unresolvedPaths;
    if (unresolved.length > 0) {
      out.push(`Report paths that match no repository file (${unresolved.length}; set coverage.reports[].root if they should):`);
      for (const entry of unresolved.slice(0, MAX_LISTED)) {
        const candidates = entry.candidates.length > 0 ? ` (could be: ${entry.candidates.map(clean).join(', ')})` : '';
        out.push(`  ${clean(entry.report)}: ${clean(entry.path)} [${entry.reason}]${candidates}`);
      }
      if (unresolved.length > MAX_LISTED) out.push(`  ... and ${unresolved.length - MAX_LISTED} more (see result.json)`);
    }
  }
  for (const input of result.inputs) {
    for (const warning of input.warnings) out.push(`warning: ${clean(input.path)}: ${clean(warning)}`);
  }
  out.push(`Report: ${clean(reportPath)}`);
  out.push(renderCoverageLine(result));
  return `${out.join('\n')}\n`;
}

/**
 * The line for the job's `coverage: '/^qgate coverage: (\d+(?:\.\d+)?)%/'` regex. It carries
 * overall coverage: GitLab charts the job's coverage over time and compares it with the
 * target branch, which only makes sense for the whole code base.
 */
export function renderCoverageLine(result: QgateResult): string {
  const overall = result.coverage?.overall.percent ?? null;
  const newCode = result.coverage?.newCode.percent ?? null;
  const overallText = overall === null ? 'n/a' : `${overall.toFixed(2)}%`;
  const newCodeText = newCode === null ? 'n/a' : `${newCode.toFixed(2)}%`;
  return `qgate coverage: ${overallText} overall, ${newCodeText} on new code`;
}

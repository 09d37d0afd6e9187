/**
 * The readable job-log summary, and the one line GitLab's `coverage:` regex reads.
 *
 * Layout: the verdict with the deciding gate's own headline, one line per gate that ran, the
 * gates that did not run in one line; then the details (reasons, uncovered lines, unmeasured
 * and unresolved files, input warnings) inside a GitLab collapsible section
 * (`\e[0Ksection_start:<unix time>:<name>[collapsed=true]\r\e[0K<header>` … `\e[0Ksection_end:<unix time>:<name>\r\e[0K`,
 * docs.gitlab.com/ci/jobs/job_logs, "Custom collapsible sections"); then the report path and the
 * coverage line, outside any section so the `coverage:` regex and a reader always see them.
 * Colours (ANSI SGR) when stdout is a terminal or `CI` is set, never when `NO_COLOR` is set
 * (no-color.org); sections only in GitLab CI (`GITLAB_CI`).
 */
import { describeGate, describeVerdict } from '../gates/evaluate.js';
import type { QgateResult } from '../model/result.js';
import { plural } from '../text/plural.js';
import { formatRanges } from './line-ranges.js';
import { baselineText } from './view-model.js';

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', info: 'INFO' } as const;

export interface TerminalStyle {
  /** ANSI colours. */
  color: boolean;
  /** GitLab collapsible sections. */
  sections: boolean;
}

export const PLAIN: TerminalStyle = { color: false, sections: false };

/** The style for a run: colour on a TTY or in CI unless NO_COLOR is set; sections in GitLab CI. */
export function terminalStyleFor(env: Readonly<Record<string, string | undefined>>, stdout: unknown): TerminalStyle {
  const isTty = typeof stdout === 'object' && stdout !== null && (stdout as { isTTY?: unknown }).isTTY === true;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return { color: !noColor && (isTty || Boolean(env.CI)), sections: env.GITLAB_CI === 'true' };
}

const SGR = { red: '31', green: '32', yellow: '33', cyan: '36', bold: '1', dim: '2' } as const;

/** Terminal output must not let a hostile path move the cursor or fake lines: drop control characters. */
function clean(text: string): string {
  // Control characters, line separators, and invisible format characters (\p{Cf}: bidi
  // overrides and isolates, zero-width marks) that could reorder or hide text in the log.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu, '?');
}

/** Log lines shown per section before "and N more". */
const MAX_LISTED = 20;

export function renderTerminalSummary(result: QgateResult, reportPath: string, style: TerminalStyle = PLAIN): string {
  const paint = (code: keyof typeof SGR, text: string): string => (style.color ? `\u001b[${SGR[code]}m${text}\u001b[0m` : text);
  const colorOf = { pass: 'green', fail: 'red', warn: 'yellow', skip: 'dim', info: 'cyan' } as const;
  const verdictColor = result.verdict === 'pass' ? 'green' : result.verdict === 'fail' ? 'red' : 'yellow';
  const out: string[] = [];
  out.push(`${paint('bold', `qgate ${result.tool.version}:`)} ${paint(verdictColor, result.verdict.toUpperCase())} — ${clean(describeVerdict(result))}`);
  const shown = result.gates.filter((gate) => describeGate(gate, result).notRun === null);
  const width = Math.max(0, ...shown.map((gate) => gate.id.length));
  for (const gate of shown) {
    const mark = gate.status === 'skip' && gate.actual !== null ? 'info' : gate.status;
    const blocking = gate.blocking ? '' : ' [non-blocking]';
    out.push(`  ${paint(colorOf[mark], MARK[mark])}  ${gate.id.padEnd(width)}  ${clean(describeGate(gate, result).result)}${blocking}`);
  }
  const notRun = result.gates.filter((gate) => describeGate(gate, result).notRun !== null);
  if (notRun.length > 0) {
    const groups = new Map<string, string[]>();
    for (const gate of notRun) {
      const why = describeGate(gate, result).notRun ?? '';
      groups.set(why, [...(groups.get(why) ?? []), gate.id]);
    }
    out.push(paint('dim', `  not run: ${[...groups].map(([why, ids]) => `${ids.join(', ')} — ${why}`).join('; ')}`));
  }

  const details: string[] = [];
  for (const gate of result.gates) details.push(`${gate.id}: ${clean(gate.reason)}`);
  const diff = result.diff;
  const base = diff.baseSha ? diff.baseSha.slice(0, 12) : '?';
  const head = diff.headSha ? diff.headSha.slice(0, 12) : '?';
  details.push(`New code: ${diff.addedLines} changed lines in ${diff.changedFiles} files (${diff.source} ${base}..${head})`);
  if (diff.baseFrom) details.push(`  base: ${clean(diff.baseFrom)}`);
  for (const warning of diff.warnings) details.push(`  ${paint('yellow', 'warning:')} ${clean(warning)}`);
  const waivers = diff.waivers;
  if (waivers && waivers.listed.length > 0) {
    details.push(`New waivers (${plural(waivers.coverageExclusions, 'coverage exclusion')}, ${plural(waivers.skippedTests, 'test skip')}):`);
    for (const waiver of waivers.listed.slice(0, MAX_LISTED)) details.push(`  ${clean(waiver.path)}:${waiver.line}: ${clean(waiver.marker)}`);
    if (waivers.listed.length > MAX_LISTED) details.push(`  ... and more (see result.json)`);
  }
  // Said once, here: a first pipeline has no baseline, which is no warning (nothing is wrong).
  const baseline = baselineText(result);
  if (baseline !== null) details.push(clean(baseline));

  const coverage = result.coverage;
  if (coverage) {
    const uncovered = coverage.newCode.files.filter((file) => file.uncoveredLines.length > 0);
    if (uncovered.length > 0) {
      details.push('Uncovered new lines:');
      for (const file of uncovered.slice(0, MAX_LISTED)) details.push(`  ${clean(file.path)}: ${paint('red', formatRanges(file.uncoveredLines))}`);
      if (uncovered.length > MAX_LISTED) details.push(`  ... and ${uncovered.length - MAX_LISTED} more files (see result.json)`);
    }
    const unmeasured = coverage.newCode.unmeasuredFiles;
    if (unmeasured.length > 0) {
      details.push('Changed source files in no coverage report:');
      for (const path of unmeasured.slice(0, MAX_LISTED)) details.push(`  ${clean(path)}`);
      if (unmeasured.length > MAX_LISTED) details.push(`  ... and ${unmeasured.length - MAX_LISTED} more`);
    }
    // Untracked (generated) files did resolve, to a file git does not track: no root hint for them.
    const generated = coverage.unresolvedPaths.filter((entry) => entry.reason === 'untracked');
    if (generated.length > 0) {
      details.push(`Report paths of generated / not tracked files (${generated.length}; in the checkout, not in git):`);
      for (const entry of generated.slice(0, MAX_LISTED)) details.push(`  ${clean(entry.report)}: ${clean(entry.path)} -> ${entry.candidates.map(clean).join(', ')}`);
      if (generated.length > MAX_LISTED) details.push(`  ... and ${generated.length - MAX_LISTED} more (see result.json)`);
    }
    const unresolved = coverage.unresolvedPaths.filter((entry) => entry.reason !== 'untracked');
    if (unresolved.length > 0) {
      details.push(`Report paths that match no repository file (${unresolved.length}; set coverage.reports[].root if they should):`);
      for (const entry of unresolved.slice(0, MAX_LISTED)) {
        const candidates = entry.candidates.length > 0 ? ` (could be: ${entry.candidates.map(clean).join(', ')})` : '';
        details.push(`  ${clean(entry.report)}: ${clean(entry.path)} [${entry.reason}]${candidates}`);
      }
      if (unresolved.length > MAX_LISTED) details.push(`  ... and ${unresolved.length - MAX_LISTED} more (see result.json)`);
    }
    const indirect = coverage.indirect;
    if (indirect && indirect.files > 0) {
      details.push(`Coverage changed in ${plural(indirect.files, 'file')} you did not edit (information, no gate counts it):`);
      for (const file of indirect.listed) details.push(`  ${clean(file.path)}: ${file.before.covered}/${file.before.total} -> ${file.after.covered}/${file.after.total} lines covered`);
      if (indirect.files > indirect.listed.length) details.push(`  ... and ${indirect.files - indirect.listed.length} more (counted in result.json, not listed)`);
    }
  }
  for (const input of result.inputs) {
    for (const warning of input.warnings) details.push(`${paint('yellow', 'warning:')} ${clean(input.path)}: ${clean(warning)}`);
  }
  if (style.sections) {
    const time = Math.floor((Date.parse(result.generatedAt) || 0) / 1000);
    out.push(`\u001b[0Ksection_start:${time}:qgate_details[collapsed=true]\r\u001b[0K${paint('bold', 'qgate details: reasons, uncovered lines, warnings')}`);
    out.push(...details);
    out.push(`\u001b[0Ksection_end:${time}:qgate_details\r\u001b[0K`);
  } else {
    out.push(...details);
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

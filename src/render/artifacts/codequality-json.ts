/**
 * `codequality.json` for GitLab's code quality widget: a Code Climate issues array with the
 * fields GitLab reads — `description`, `check_name`, `fingerprint`, `severity` (info, minor,
 * major, critical, blocker), `location.path` and `location.lines.begin`
 * (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format; the Code Climate
 * spec: https://github.com/codeclimate/platform/blob/master/spec/analyzers/SPEC.md).
 *
 * Fingerprints. GitLab treats issues with one fingerprint as one issue and compares fingerprints
 * of the source and target branches to call an issue new or resolved, so a fingerprint must be
 * unique in the report and stable across runs (no time, no random, no producer ids):
 * - an uncovered range: check + path + the range's source text (each line trimmed, blank lines
 *   dropped) + its rank among ranges of the file with the same text. No line number: a range
 *   that only moved because lines were added above it keeps its fingerprint, so GitLab does not
 *   show it as one new and one resolved issue. When the source cannot be read (no checkout, a
 *   file outside it), `begin-end` stands in for the text.
 * - a surviving mutant: check + path + mutator + replacement (or the producer's description) +
 *   the mutant's rank among identical mutants of the file. No line number: a mutant that only
 *   moved down because lines were added above it keeps its fingerprint. Stryker's mutant ids
 *   are left out because they are renumbered on every run.
 * Each key is hashed with SHA-256 (hex); parts are joined with NUL, which no path or name holds.
 *
 * Descriptions. The spec: "Descriptions must be a single line of text (no newlines), with no
 * HTML formatting contained within", and they "support one type of basic Markdown formatting,
 * which is the use of backticks to produce inline <code> tags"; identifiers "should be wrapped
 * within backticks". So every string from a mutation report (mutator name, replacement, the
 * producer's description) is flattened to one line and put in a code span, where a `<script>`
 * is code, not markup. GitLab shows the text as it is, backticks included.
 */
import { createHash } from 'node:crypto';
import type { Mutant } from '../../model/mutation.js';
import type { QgateResult } from '../../model/result.js';
import { sourceLines } from '../source-lines.js';
import { toRanges } from '../line-ranges.js';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  categories: string[];
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number; end: number } };
}

export const UNCOVERED_CHECK = 'qgate-uncovered-new-code';
export const LEFT_OUT_CHECK = 'qgate-left-out';
/** Uncovered ranges listed before the rest is counted in one notice: the report scales with the MR, within a few MB. */
export const MAX_UNCOVERED_ISSUES = 5_000;
export const MUTANT_CHECK = 'qgate-surviving-mutant';

/** Longest mutant replacement quoted in a description, in characters (code points). */
const REPLACEMENT_MAX_CHARS = 80;

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
}

/** One line of at most `max` code points: whitespace runs (newlines included) become one space. */
function oneLine(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * `text` as one CommonMark code span (spec 0.31, section 6.1): the fence is a backtick run
 * whose length no run inside the text has, and a space pads text that starts or ends with a
 * backtick (or is space-padded itself), because one such space on each side is stripped.
 */
export function codeSpan(text: string): string {
  if (text === '') return '` `';
  const runs = new Set((text.match(/`+/g) ?? []).map((run) => run.length));
  let length = 1;
  while (runs.has(length)) length += 1;
  const fence = '`'.repeat(length);
  const pad = /^[` ]|[` ]$/.test(text) && text.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function uncoveredDescription(begin: number, end: number): string {
  return begin === end ? `Line ${begin} is new and not covered by tests` : `Lines ${begin}-${end} are new and not covered by tests`;
}

function mutantDescription(mutant: Mutant): string {
  const outcome = mutant.status === 'NoCoverage' ? 'no test covers it' : 'no test failed';
  const change =
    mutant.replacement !== null
      ? `replaced with ${codeSpan(oneLine(mutant.replacement, REPLACEMENT_MAX_CHARS))}`
      : mutant.description !== null
        ? codeSpan(oneLine(mutant.description, REPLACEMENT_MAX_CHARS))
        : 'replacement not reported';
  return `Surviving ${codeSpan(oneLine(mutant.mutatorName, REPLACEMENT_MAX_CHARS))} mutant on new code (${outcome}): ${change}`;
}

/** A line number GitLab accepts: an integer of at least 1. */
function lineOf(value: number): number {
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

export interface CodeQualityContext {
  /** The changed file's text at HEAD, or null when it may not or cannot be read (publish.ts decides). */
  readSource?: (path: string) => string | null;
}

/** The trimmed, non-blank lines `begin`..`end` (1-based) of `lines`, or null when they are not all there. */
function rangeText(lines: readonly string[] | null, begin: number, end: number): string | null {
  if (lines === null || begin < 1 || end > lines.length) return null;
  return lines
    .slice(begin - 1, end)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

export function buildCodeQualityIssues(result: QgateResult, context: CodeQualityContext = {}): CodeQualityIssue[] {
  const issues: CodeQualityIssue[] = [];
  const seen = new Set<string>();
  // Uniqueness is also enforced here, so a path listed twice cannot make GitLab merge two issues.
  const unique = (parts: string[]): string => {
    let fingerprint = hash(parts);
    for (let extra = 2; seen.has(fingerprint); extra += 1) fingerprint = hash([...parts, `#${extra}`]);
    seen.add(fingerprint);
    return fingerprint;
  };

  let leftOut = 0;
  let firstLeftOut: string | null = null;
  for (const file of result.coverage?.newCode.files ?? []) {
    if (file.uncoveredLines.length === 0) continue;
    if (issues.length >= MAX_UNCOVERED_ISSUES) {
      // Past the bound the source is not even read: only counted.
      leftOut += toRanges(file.uncoveredLines).length;
      firstLeftOut ??= file.path;
      continue;
    }
    const lines = sourceLines(file.path, context.readSource);
    const textRanks = new Map<string, number>();
    for (const [begin, end] of toRanges(file.uncoveredLines)) {
      const text = rangeText(lines, begin, end);
      const rank = text === null ? 0 : (textRanks.get(text) ?? 0) + 1;
      if (text !== null) textRanks.set(text, rank);
      const key = text === null ? `${begin}-${end}` : `${text}\u0000${rank}`;
      if (issues.length >= MAX_UNCOVERED_ISSUES) {
        leftOut += 1;
        firstLeftOut ??= file.path;
        continue;
      }
      issues.push({
        type: 'issue',
        check_name: UNCOVERED_CHECK,
        description: uncoveredDescription(begin, end),
        categories: ['Bug Risk'],
        fingerprint: unique([UNCOVERED_CHECK, file.path, key]),
        severity: 'minor',
        location: { path: file.path, lines: { begin: lineOf(begin), end: lineOf(end) } },
      });
    }
  }

  if (leftOut > 0 && firstLeftOut !== null) {
    // A visible notice, in the widget itself, of what was left out and where the rest is.
    issues.push({
      type: 'issue',
      check_name: LEFT_OUT_CHECK,
      description: `${leftOut} more uncovered ranges of new code are left out of this report (it lists the first ${MAX_UNCOVERED_ISSUES}); result.json has them all`,
      categories: ['Bug Risk'],
      fingerprint: unique([LEFT_OUT_CHECK]),
      severity: 'info',
      location: { path: firstLeftOut, lines: { begin: 1, end: 1 } },
    });
  }

  const ranks = new Map<string, number>();
  for (const mutant of result.mutation?.newCode.surviving ?? []) {
    const content = [MUTANT_CHECK, mutant.file, mutant.mutatorName, mutant.replacement ?? mutant.description ?? ''];
    const contentKey = content.join('\u0000');
    const rank = (ranks.get(contentKey) ?? 0) + 1;
    ranks.set(contentKey, rank);
    const begin = lineOf(mutant.location.start.line);
    issues.push({
      type: 'issue',
      check_name: MUTANT_CHECK,
      description: mutantDescription(mutant),
      categories: ['Bug Risk'],
      fingerprint: unique([...content, String(rank)]),
      severity: 'major',
      location: { path: mutant.file, lines: { begin, end: Math.max(begin, lineOf(mutant.location.end.line)) } },
    });
  }
  return issues;
}

/** The issues as JSON; JSON.stringify escapes every hostile path or name (lone surrogates included). */
export function renderCodeQuality(result: QgateResult, context: CodeQualityContext = {}): string {
  return `${JSON.stringify(buildCodeQualityIssues(result, context), null, 2)}\n`;
}

/**
 * The view model: what every human-facing report shows, decided once from `QgateResult`.
 * Plain data only. All decisions live here — which sections exist, ordering, truncation
 * ("and N more"), wording, line counts, "not applicable", links — so the templates in
 * `report-templates/` hold layout only (docs/design.md, "Rules the code follows").
 *
 * Strings stay raw (unescaped): escaping belongs to each output format (Markdown helpers in
 * `comment.ts`, HTML escaping in the HTML report). The view model only bounds their length so a
 * 1 MB scenario name cannot blow a section, and cuts them as text, never as markup.
 */
import type { MetricComparison } from '../model/performance.js';
import type { CoverageTotals, GateResult, GateStatus, IndirectFile, NewCodeFile, QgateResult, Verdict } from '../model/result.js';
import type { Mutant } from '../model/mutation.js';
import type { ScenarioResult } from '../model/e2e.js';
import { describeGate, describeVerdict } from '../gates/evaluate.js';
import { formatCount, formatPercentOf, formatPoints, formatSignedPercent } from '../text/number.js';
import { formatK6Stat, perfHistoryView, type PerfHistoryView } from './perf-history-view.js';
import { toRanges } from './line-ranges.js';
import { markdownLinkDestination } from './markdown-escape.js';

/** How many entries each section lists before "and N more". */
export interface ViewLimits {
  maxUncoveredFiles: number;
  maxRangesPerFile: number;
  maxScenarios: number;
  maxMutants: number;
  maxMetrics: number;
  /** Changed lines the HTML report lists across all files before "and N more" (the comment lists none). */
  maxChangedLines?: number;
}

export const DEFAULT_VIEW_LIMITS: ViewLimits = {
  maxUncoveredFiles: 50,
  maxRangesPerFile: 30,
  maxScenarios: 20,
  maxMutants: 50,
  maxMetrics: 50,
};

export interface ViewContext {
  /** `CI_PROJECT_URL`; null outside CI (no file links then). */
  projectUrl: string | null;
  /** The commit files are linked at (`CI_COMMIT_SHA`); null falls back to the diff's head SHA. */
  commitSha: string | null;
  /** Where the full HTML report can be opened (the job's artifact URL); null when unknown. */
  reportUrl: string | null;
  limits?: Partial<ViewLimits>;
  /** `CI_PIPELINE_ID`, kept in the comment so an older pipeline never overwrites a newer one's note. */
  pipelineId?: string | null;
  /** The report's path relative to the repository (`<--out>/index.html`), shown as text when `reportUrl` is null. */
  reportPath?: string | null;
}

/** A piece of text with an optional link (null: show the text only). */
export interface ViewLink {
  text: string;
  url: string | null;
}

/** "and 4,995 more files — see the full report". */
export interface MoreNotice {
  text: string;
  /** The full report, when its URL is known. */
  url: string | null;
}

export interface GateRow {
  icon: string;
  /** `passed`, `failed`, `warning`, `skipped`, `info`: the CSS class and the word. */
  status: string;
  /** The config key, e.g. `new_code_coverage`. */
  id: string;
  /** The gate's title in words: "New-code coverage". */
  title: string;
  /** `''` or `non-blocking`. */
  blocking: string;
  /** The gate's own result text: "71.4 % (5 of 7 new lines) — needs 80 %". */
  result: string;
  /** Change versus the target branch, or "—". */
  change: string;
  /** What the figure counts, or "". */
  scope: string;
  reason: string;
  formula: string;
}

export interface UncoveredFileRow {
  file: ViewLink;
  /** "7 of 10 new lines uncovered". */
  detail: string;
  ranges: ViewLink[];
  /** "and 12 more ranges", or null. */
  moreRanges: string | null;
}

export interface UncoveredSection {
  summary: string;
  /** Shown open (few ranges: the one thing the author must act on) rather than folded. */
  open: boolean;
  files: UncoveredFileRow[];
  more: MoreNotice | null;
}

export interface ScenarioRow {
  icon: string;
  status: string;
  name: string;
  feature: string;
  location: ViewLink | null;
  step: string;
  /** The first lines of the error; empty when there is none. */
  errorLines: string[];
}

export interface ScenariosSection {
  summary: string;
  failed: ScenarioRow[];
  moreFailed: MoreNotice | null;
  flaky: ScenarioRow[];
  moreFlaky: MoreNotice | null;
  notes: string[];
}

export interface MetricRow {
  icon: string;
  metric: string;
  stat: string;
  baseline: string;
  current: string;
  change: string;
  limit: string;
  status: string;
}

export interface ThresholdRow {
  icon: string;
  metric: string;
  expression: string;
  detail: string;
}

export interface PerformanceSection {
  summary: string;
  thresholds: ThresholdRow[];
  moreThresholds: MoreNotice | null;
  comparisonNote: string | null;
  metrics: MetricRow[];
  moreMetrics: MoreNotice | null;
  /** The statistics with both a baseline and a current value, for the HTML report's bar chart. */
  chart: PerformanceChartRow[];
  /** The run against the default-branch history (src/render/perf-history-view.ts); null when none was read. */
  history: PerfHistoryView | null;
}

export interface MutantRow {
  location: ViewLink;
  mutator: string;
  /** The replacement code, or null when the producer gives none. */
  replacement: string | null;
  status: string;
}

export interface MutantsSection {
  summary: string;
  mutants: MutantRow[];
  more: MoreNotice | null;
}

export interface UnresolvedRow {
  path: string;
  detail: string;
}

/** The coverage exclusions and test skips the MR adds, each a link to its line. */
export interface WaiversSection {
  /** "3 new coverage exclusions, 1 new test skip". */
  summary: string;
  items: Array<{ location: ViewLink; kind: string; marker: string }>;
  more: MoreNotice | null;
}

/** Files the MR did not edit whose coverage changed against the baseline: information, never a gate. */
export interface IndirectSection {
  /** "Coverage changed in 2 files you did not edit". */
  summary: string;
  /** What the list is and is not: compared with which baseline, counted by no gate. */
  note: string;
  items: Array<{ file: ViewLink; before: string; after: string; change: string }>;
  /** Listed in result.json but cut from this view. */
  more: MoreNotice | null;
  /** "12 more changed files are counted, not listed …" when result.json itself lists only the biggest changes; else null. */
  unlisted: string | null;
}

export interface UnresolvedSection {
  summary: string;
  items: UnresolvedRow[];
  more: MoreNotice | null;
}

/** One changed line of a changed file, for the HTML report's source view. */
export interface ChangedLineRow {
  number: number;
  /** `covered`, `uncovered`, `not-coverable`, `not-measured`: the CSS class and the machine word. */
  kind: 'covered' | 'uncovered' | 'not-coverable' | 'not-measured';
  icon: string;
  /** The status in words, never colour alone: "covered", "not covered", "not coverable", "not measured". */
  label: string;
}

/** Consecutive changed lines: one block of source in the HTML report. */
export interface ChangedHunk {
  /** "Lines 10-12". */
  title: string;
  lines: ChangedLineRow[];
}

export interface ChangedFileRow {
  file: ViewLink;
  /** The repository path as the diff gives it (raw, unshortened): the key for reading its source. */
  path: string;
  /** "modified", "renamed from src/old.ts". */
  change: string;
  /** "8 of 12 coverable changed lines covered", "not measured by any coverage report", … */
  detail: string;
  hunks: ChangedHunk[];
  /** "and 120 more changed lines", or null. */
  moreLines: string | null;
}

export interface ChangedFilesSection {
  summary: string;
  files: ChangedFileRow[];
  more: MoreNotice | null;
}

/** One tracked statistic in the k6 chart: both values as fractions of the larger one (0..1). */
export interface PerformanceChartRow {
  label: string;
  baseline: number;
  current: number;
  baselineText: string;
  currentText: string;
  status: string;
}

export interface ViewModel {
  /**
   * `id` is the verdict itself, kept in the comment as a hidden line so the next run can tell it changed;
   * `headline` is the deciding gate's own one line with the numbers; `word` is "passed", "failed", "passed with warnings".
   */
  verdict: { id: Verdict; icon: string; word: string; headline: string; reason: string };
  /** The pipeline that wrote this comment (digits only), or null outside CI. */
  pipeline: string | null;
  /** The gates that were configured and had input (or failed for the lack of it). */
  gates: GateRow[];
  /** The others in one line: "not run: e2e, performance, mutation — no report given"; null when every gate ran. */
  notRun: string | null;
  /** What was compared: "`a1b2c3d4e5f6` → `0f9e8d7c6b5a` (git), 19 changed lines in 3 files". */
  /** `baseline`: where the target-branch comparison came from, or why there is none; null when none was looked for. */
  /** `reports`: "Coverage merged from 3 reports: a, b, c." when more than one was read (shards), else null. */
  /** `baseFrom`: "Base: the merge request base (CI_MERGE_REQUEST_DIFF_BASE_SHA)." — which base and how it was found; null when unknown. */
  comparison: { base: string; head: string; source: string; changes: string; baseFrom: string | null; baseline: string | null; reports: string | null };
  uncovered: UncoveredSection | null;
  /** Every changed file with its changed lines' coverage status (the HTML report's source view). */
  changedFiles: ChangedFilesSection | null;
  scenarios: ScenariosSection | null;
  performance: PerformanceSection | null;
  mutants: MutantsSection | null;
  unresolved: UnresolvedSection | null;
  waivers: WaiversSection | null;
  indirect: IndirectSection | null;
  /** The full report: its artifact URL in CI, else its path to show as text. */
  report: { url: string | null; path: string };
  /** "qgate 0.1.0". */
  tool: string;
  /** True when any section left entries out. */
  truncated: boolean;
}

/** Longest user string kept in one cell or list item (a path, a name, a reason). */
const MAX_TEXT = 300;
/** Lines and characters of a scenario error shown. */
const MAX_ERROR_LINES = 4;
const MAX_ERROR_LINE = 200;
const MAX_REASON = 600;

const STATUS: Record<GateStatus, { icon: string; word: string }> = {
  pass: { icon: '✅', word: 'passed' },
  warn: { icon: '⚠️', word: 'warning' },
  fail: { icon: '❌', word: 'failed' },
  skip: { icon: '⏭️', word: 'skipped' },
};

const INFO = { icon: 'ℹ️', word: 'info' };

const VERDICT: Record<Verdict, { icon: string; word: string }> = {
  pass: { icon: '✅', word: 'passed' },
  warn: { icon: '⚠️', word: 'passed with warnings' },
  fail: { icon: '❌', word: 'failed' },
};

function count(n: number): string {
  return formatCount(n);
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

/** Cut plain text to `max` characters (by code point, so no surrogate half), marking the cut. */
export function shorten(text: string, max = MAX_TEXT): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function more(hidden: number, what: string, reportUrl: string | null): MoreNotice | null {
  if (hidden <= 0) return null;
  return { text: `and ${count(hidden)} more ${what}`, url: reportUrl };
}

function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 12) : 'unknown';
}

/** Links to files at a commit: `${projectUrl}/-/blob/${sha}/${path}#L10-12`, each path segment encoded. */
interface Linker {
  file(path: string, start?: number, end?: number): string | null;
}

/** encodeURIComponent leaves `!'()*~` alone; encode them too so no URL holds a reference-like `!2`. */
function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function makeLinker(projectUrl: string | null, sha: string | null): Linker {
  const base = projectUrl ? markdownLinkDestination(projectUrl.replace(/\/+$/, '')) : null;
  const commit = sha && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : null;
  return {
    file(path, start, end) {
      if (!base || !commit) return null;
      const encoded = path.split('/').map(encodePathSegment).join('/');
      const anchor = start === undefined ? '' : end === undefined || end === start ? `#L${start}` : `#L${start}-${end}`;
      return markdownLinkDestination(`${base}/-/blob/${commit}/${encoded}${anchor}`);
    },
  };
}

/** Which coverage reports were merged, when there were several (parallel shards); at most 10 named. */
function reportsText(result: QgateResult): string | null {
  const reports = result.inputs.filter((input) => input.kind === 'coverage');
  if (reports.length < 2) return null;
  const named = reports.slice(0, 10).map((input) => shorten(input.path, 120)).join(', ');
  const rest = reports.length > 10 ? ` and ${count(reports.length - 10)} more` : '';
  return `Coverage merged from ${count(reports.length)} reports: ${named}${rest}.`;
}

/** One sentence on the target-branch baseline (found where, or why not); null when none was asked for. */
export function baselineText(result: QgateResult): string | null {
  const baseline = result.baseline;
  if (baseline === null || baseline.status === 'not-requested') return null;
  const where = baseline.ref ?? 'the target branch';
  if (baseline.status === 'found') {
    const at = baseline.commitSha ? ` at ${shortSha(baseline.commitSha)}` : '';
    const when = baseline.generatedAt ? `, measured ${baseline.generatedAt.slice(0, 10)}` : '';
    return `Baseline: ${where}${at}${when}.`;
  }
  return `No baseline from ${where}: ${shorten(baseline.reason ?? 'not available', MAX_REASON)}.`;
}

function gateRow(gate: GateResult, result: QgateResult): GateRow {
  const wording = describeGate(gate, result);
  const status = gate.status === 'skip' && gate.actual !== null ? INFO : STATUS[gate.status];
  return {
    icon: status.icon,
    status: status.word,
    id: shorten(gate.id),
    title: shorten(wording.title),
    blocking: gate.blocking ? '' : 'non-blocking',
    result: shorten(wording.result, MAX_REASON),
    change: wording.versusTarget ?? '—',
    scope: wording.scope ?? '',
    reason: shorten(gate.reason, MAX_REASON),
    formula: gate.formula,
  };
}

/** "not run: e2e, performance, mutation — no report given", one clause per reason. */
function notRunLine(result: QgateResult): string | null {
  const byReason = new Map<string, string[]>();
  for (const gate of result.gates) {
    const why = describeGate(gate, result).notRun;
    if (why === null) continue;
    byReason.set(why, [...(byReason.get(why) ?? []), gate.id]);
  }
  if (byReason.size === 0) return null;
  return `not run: ${[...byReason].map(([why, ids]) => `${ids.join(', ')} — ${why}`).join('; ')}`;
}

/** Uncovered ranges shown open in the comment up to this many; more are folded. */
export const MAX_OPEN_RANGES = 10;

function uncoveredSection(result: QgateResult, limits: ViewLimits, linker: Linker, reportUrl: string | null): UncoveredSection | null {
  const newCode = result.coverage?.newCode;
  if (!newCode) return null;
  const files = newCode.files.filter((file) => file.uncoveredLines.length > 0);
  if (files.length === 0) return null;
  // Most uncovered lines first, then by path: the reviewer reads the worst files first.
  const sorted = [...files].sort((a, b) => b.uncoveredLines.length - a.uncoveredLines.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines = files.reduce((sum, file) => sum + file.uncoveredLines.length, 0);
  const ranges = files.reduce((sum, file) => sum + toRanges(file.uncoveredLines).length, 0);
  return {
    summary: `Uncovered new lines: ${plural(lines, 'line')} in ${plural(files.length, 'file')}`,
    open: ranges <= MAX_OPEN_RANGES,
    files: sorted.slice(0, limits.maxUncoveredFiles).map((file) => uncoveredRow(file, limits, linker)),
    more: more(sorted.length - limits.maxUncoveredFiles, sorted.length - limits.maxUncoveredFiles === 1 ? 'file' : 'files', reportUrl),
  };
}

function uncoveredRow(file: NewCodeFile, limits: ViewLimits, linker: Linker): UncoveredFileRow {
  const ranges = toRanges(file.uncoveredLines);
  const coverable = file.coveredLines.length + file.uncoveredLines.length;
  const hidden = ranges.length - limits.maxRangesPerFile;
  return {
    file: { text: shorten(file.path), url: linker.file(file.path) },
    detail: `${count(file.uncoveredLines.length)} of ${plural(coverable, 'new line')} uncovered`,
    ranges: ranges.slice(0, limits.maxRangesPerFile).map(([start, end]) => ({
      text: start === end ? `${start}` : `${start}-${end}`,
      url: linker.file(file.path, start, end),
    })),
    moreRanges: hidden > 0 ? `and ${plural(hidden, 'more range')}` : null,
  };
}

function errorLines(error: string | null): string[] {
  if (!error) return [];
  const lines = error.split(/\r\n|[\n\r]/).map((line) => line.trim()).filter((line) => line !== '');
  const kept = lines.slice(0, MAX_ERROR_LINES).map((line) => shorten(line, MAX_ERROR_LINE));
  if (lines.length > MAX_ERROR_LINES) kept.push('…');
  return kept;
}

function scenarioRow(scenario: ScenarioResult, linker: Linker, flaky: boolean): ScenarioRow {
  const location = scenario.uri
    ? {
        text: shorten(scenario.line === null ? scenario.uri : `${scenario.uri}:${scenario.line}`),
        url: linker.file(scenario.uri, scenario.line ?? undefined),
      }
    : null;
  const step = scenario.failedStep ? `${scenario.failedStep.keyword} ${scenario.failedStep.text}`.trim() : '';
  return {
    icon: flaky ? '🔁' : scenario.status === 'failed' ? '❌' : '⚠️',
    status: flaky ? `flaky (passed after ${plural(scenario.attempts, 'attempt')})` : scenario.status,
    name: shorten(scenario.name),
    feature: shorten(scenario.feature),
    location,
    step: shorten(step),
    errorLines: flaky ? [] : errorLines(scenario.error),
  };
}

function scenariosSection(result: QgateResult, limits: ViewLimits, linker: Linker, reportUrl: string | null): ScenariosSection | null {
  const e2e = result.e2e;
  if (!e2e) return null;
  const notListed = e2e.failed.length + e2e.failedOmitted;
  if (notListed === 0 && e2e.flakyScenarios.length === 0 && e2e.runErrors.length === 0) return null;
  const s = e2e.scenarios;
  const parts = [`${count(s.failed)} failed`];
  for (const [n, word] of [[s.ambiguous, 'ambiguous'], [s.undefined, 'undefined'], [s.pending, 'pending'], [s.flaky, 'flaky']] as const) {
    if (n > 0) parts.push(`${count(n)} ${word}`);
  }
  const failedTotal = e2e.failed.length + e2e.failedOmitted;
  const flakyTotal = Math.max(s.flaky, e2e.flakyScenarios.length);
  return {
    summary: `Scenarios: ${parts.join(', ')} of ${count(s.total)}`,
    failed: e2e.failed.slice(0, limits.maxScenarios).map((scenario) => scenarioRow(scenario, linker, false)),
    moreFailed: more(failedTotal - Math.min(limits.maxScenarios, e2e.failed.length), 'scenarios', reportUrl),
    flaky: e2e.flakyScenarios.slice(0, limits.maxScenarios).map((scenario) => scenarioRow(scenario, linker, true)),
    moreFlaky: more(flakyTotal - Math.min(limits.maxScenarios, e2e.flakyScenarios.length), 'flaky scenarios', reportUrl),
    notes: e2e.runErrors.slice(0, limits.maxScenarios).map((error) => shorten(error, MAX_REASON)),
  };
}

/** A k6 statistic with its unit (ms, req/s, %): src/render/perf-history-view.ts. */
function statValue(metric: string, stat: string, n: number | null): string {
  return formatK6Stat(metric, stat, n);
}

/** The change in the statistic's own terms: percentage points for rates, relative percent otherwise. */
function statChange(m: MetricComparison): string {
  if (m.stat === 'rate' && m.deltaAbsolute !== null) return formatPoints(m.deltaAbsolute * 100);
  if (m.deltaPercent !== null) return formatSignedPercent(m.deltaPercent);
  if (m.deltaAbsolute !== null) return `${m.deltaAbsolute > 0 ? '+' : m.deltaAbsolute < 0 ? '' : '±'}${statValue(m.metric, m.stat, m.deltaAbsolute)}`;
  return '—';
}

const METRIC_STATUS: Record<MetricComparison['status'], { icon: string; word: string }> = {
  regressed: { icon: '❌', word: 'regressed' },
  improved: { icon: '🚀', word: 'improved' },
  pass: { icon: '✅', word: 'within tolerance' },
  skip: { icon: '⏭️', word: 'not compared' },
};

/** Regressions first, then improvements, then the rest; stable inside each group. */
const METRIC_ORDER: Record<MetricComparison['status'], number> = { regressed: 0, improved: 1, pass: 2, skip: 3 };

function performanceSection(result: QgateResult, limits: ViewLimits, reportUrl: string | null): PerformanceSection | null {
  const perf = result.performance;
  if (!perf) return null;
  const { thresholds, comparison } = perf;
  const thresholdRows: ThresholdRow[] = [
    ...thresholds.failedList.map((failed) => ({
      icon: '❌',
      metric: shorten(failed.metric),
      expression: shorten(failed.expression),
      detail: `failed${failed.actual === null ? '' : ` at ${statValue(failed.metric, failed.expression.match(/^[a-z]+(\([\d.]+\))?/)?.[0] ?? '', failed.actual)}`} (decided by ${failed.verdictBy}, defined in ${failed.source === 'k6' ? 'the k6 script' : 'the qgate config'})`,
    })),
    ...thresholds.unevaluated.map((entry) => ({
      icon: '❔',
      metric: shorten(entry.metric),
      expression: shorten(entry.expression),
      detail: `not evaluated: ${shorten(entry.reason)}`,
    })),
  ];
  const metrics = comparison.metrics
    .map((metric, index) => ({ metric, index }))
    .sort((a, b) => METRIC_ORDER[a.metric.status] - METRIC_ORDER[b.metric.status] || a.index - b.index)
    .map(({ metric }) => metric);
  const regressed = metrics.filter((m) => m.status === 'regressed').length;
  const summaryParts = [`${count(thresholds.failed)} of ${plural(thresholds.total, 'threshold')} failed`];
  summaryParts.push(comparison.baselineAvailable ? `${plural(regressed, 'statistic')} regressed versus the baseline` : 'no baseline');
  const comparisonNote = !comparison.baselineAvailable
    ? `No baseline run: the comparison was skipped.${comparison.reason ? ` ${shorten(comparison.reason, MAX_REASON)}` : ''}`
    : !comparison.likeForLike
      ? `Not like for like, regressions are reported but do not fail the gate on their own: ${shorten(comparison.reason ?? 'the load profiles differ', MAX_REASON)}`
      : null;
  return {
    summary: `k6 performance: ${summaryParts.join(', ')}`,
    thresholds: thresholdRows.slice(0, limits.maxMetrics),
    moreThresholds: more(thresholdRows.length - limits.maxMetrics, 'thresholds', reportUrl),
    comparisonNote,
    metrics: metrics.slice(0, limits.maxMetrics).map((m) => ({
      icon: METRIC_STATUS[m.status].icon,
      metric: shorten(m.metric),
      stat: shorten(m.stat),
      baseline: statValue(m.metric, m.stat, m.baseline),
      current: statValue(m.metric, m.stat, m.current),
      change: statChange(m),
      limit: m.limit ?? '—',
      status: m.note ? `${METRIC_STATUS[m.status].word}: ${shorten(m.note)}` : METRIC_STATUS[m.status].word,
    })),
    moreMetrics: more(metrics.length - limits.maxMetrics, 'statistics', reportUrl),
    history: perfHistoryView(perf.history),
    chart: metrics.slice(0, limits.maxMetrics).flatMap((m) => {
      if (m.current === null || m.baseline === null) return [];
      const top = Math.max(Math.abs(m.current), Math.abs(m.baseline));
      return [{
        label: shorten(`${m.metric} ${m.stat}`, 34),
        baseline: top === 0 ? 0 : Math.abs(m.baseline) / top,
        current: top === 0 ? 0 : Math.abs(m.current) / top,
        baselineText: statValue(m.metric, m.stat, m.baseline),
        currentText: statValue(m.metric, m.stat, m.current),
        status: METRIC_STATUS[m.status].word,
      }];
    }),
  };
}

const LINE_KIND = {
  covered: { icon: '✔', label: 'covered' },
  uncovered: { icon: '✘', label: 'not covered' },
  'not-coverable': { icon: '·', label: 'not coverable' },
  'not-measured': { icon: '?', label: 'not measured' },
} as const;

const FILE_STATUS: Record<NewCodeFile['status'], string> = {
  measured: '',
  unmeasured: 'in no coverage report (not counted as covered)',
  'not-source': 'not source code by the coverage configuration',
  binary: 'binary file or symlink: no lines',
  generated: 'generated, not counted',
  'no-new-lines': 'no line added (rename, copy or deletions only)',
};

/** Default for `maxChangedLines`: the HTML report stays a few MB even for a huge MR. */
export const DEFAULT_MAX_CHANGED_LINES = 20_000;

function changedFilesSection(result: QgateResult, limits: ViewLimits, linker: Linker): ChangedFilesSection | null {
  const newCode = result.coverage?.newCode;
  if (!newCode || newCode.files.length === 0) return null;
  let budget = limits.maxChangedLines ?? DEFAULT_MAX_CHANGED_LINES;
  const files: ChangedFileRow[] = [];
  let hiddenFiles = 0;
  for (const file of newCode.files) {
    if (budget <= 0 && file.changedLines.length > 0) {
      hiddenFiles++;
      continue;
    }
    const covered = new Set(file.coveredLines);
    const uncovered = new Set(file.uncoveredLines);
    const kindOf = (line: number): ChangedLineRow['kind'] =>
      covered.has(line) ? 'covered' : uncovered.has(line) ? 'uncovered' : file.status === 'unmeasured' ? 'not-measured' : 'not-coverable';
    const shown = file.changedLines.slice(0, Math.max(0, budget));
    budget -= shown.length;
    const coverable = file.coveredLines.length + file.uncoveredLines.length;
    const detail = file.status === 'measured'
      ? coverable === 0 ? 'no coverable changed line' : `${count(file.coveredLines.length)} of ${plural(coverable, 'coverable changed line')} covered`
      : file.nonExecutableOnly === true
        ? 'only comments, blank lines or preprocessor directives changed: nothing to measure'
        : FILE_STATUS[file.status];
    const hidden = file.changedLines.length - shown.length;
    files.push({
      file: { text: shorten(file.path), url: linker.file(file.path) },
      path: file.path,
      change: file.oldPath !== null && file.oldPath !== file.path ? `${file.change} from ${shorten(file.oldPath)}` : file.change,
      detail,
      hunks: toRanges(shown).map(([start, end]) => ({
        title: start === end ? `Line ${start}` : `Lines ${start}-${end}`,
        lines: Array.from({ length: end - start + 1 }, (_, i) => {
          const kind = kindOf(start + i);
          return { number: start + i, kind, ...LINE_KIND[kind] };
        }),
      })),
      moreLines: hidden > 0 ? `and ${plural(hidden, 'more changed line')}` : null,
    });
  }
  const lines = newCode.files.reduce((sum, file) => sum + file.changedLines.length, 0);
  return {
    summary: `Changed files: ${plural(lines, 'changed line')} in ${plural(newCode.files.length, 'file')}`,
    files,
    more: more(hiddenFiles, hiddenFiles === 1 ? 'file' : 'files', null),
  };
}

function mutantRow(mutant: Mutant, linker: Linker): MutantRow {
  const { line, column } = mutant.location.start;
  return {
    location: { text: shorten(`${mutant.file}:${line}:${column}`), url: linker.file(mutant.file, line) },
    mutator: shorten(mutant.description === null ? mutant.mutatorName : `${mutant.mutatorName}: ${mutant.description}`),
    replacement: mutant.replacement === null ? null : shorten(mutant.replacement),
    status: mutant.status === 'NoCoverage' ? 'no coverage' : 'survived',
  };
}

/**
 * Mutants that add information: those that survived on a line the tests run. A mutant with no
 * coverage sits on a line the uncovered-lines list already names, so it is counted, not listed.
 */
function mutantsSection(result: QgateResult, limits: ViewLimits, linker: Linker, reportUrl: string | null): MutantsSection | null {
  const m = result.mutation;
  if (!m || m.newCode.survivingTotal === 0) return null;
  const uncovered = new Map((result.coverage?.newCode.files ?? []).map((file) => [file.path, new Set(file.uncoveredLines)]));
  const informative = m.newCode.surviving.filter((mutant) => mutant.status !== 'NoCoverage' && !uncovered.get(mutant.file)?.has(mutant.location.start.line));
  // Surviving mutants beyond the list result.json keeps are counted as informative: they cannot be told apart.
  const unlisted = m.newCode.survivingTotal - m.newCode.surviving.length;
  const shown = informative.length + unlisted;
  const onUncovered = m.newCode.survivingTotal - shown;
  const note = onUncovered > 0 ? ` (${count(onUncovered)} more on untested lines, listed as uncovered)` : '';
  if (shown === 0) return null;
  const listed = informative.slice(0, limits.maxMutants);
  return {
    summary: `Surviving mutants on tested new lines: ${count(shown)} of ${plural(m.newCode.valid, 'mutant')}${note}`,
    mutants: listed.map((mutant) => mutantRow(mutant, linker)),
    more: more(shown - listed.length, 'mutants', reportUrl),
  };
}

const UNRESOLVED_WHY = {
  'not-found': 'matches no repository file',
  ambiguous: 'matches several repository files',
  'outside-repo': 'is outside the repository',
  untracked: 'generated / not tracked',
} as const;

function waiversSection(result: QgateResult, limits: ViewLimits, linker: Linker, reportUrl: string | null): WaiversSection | null {
  const waivers = result.diff.waivers;
  if (!waivers || waivers.coverageExclusions + waivers.skippedTests === 0) return null;
  const parts = [
    waivers.coverageExclusions > 0 ? plural(waivers.coverageExclusions, 'new coverage exclusion') : null,
    waivers.skippedTests > 0 ? plural(waivers.skippedTests, 'new test skip') : null,
  ].filter((part): part is string => part !== null);
  const limit = limits.maxUncoveredFiles;
  const shown = waivers.listed.slice(0, limit);
  return {
    summary: parts.join(', '),
    items: shown.map((waiver) => ({
      location: { text: shorten(`${waiver.path}:${waiver.line}`), url: linker.file(waiver.path, waiver.line) },
      kind: waiver.kind === 'coverage-exclusion' ? 'coverage exclusion' : 'test skip',
      marker: shorten(waiver.marker),
    })),
    more: more(waivers.coverageExclusions + waivers.skippedTests - shown.length, 'waivers', reportUrl),
  };
}

function linesText(totals: CoverageTotals): string {
  return totals.total === 0 ? 'no coverable line' : `${formatPercentOf(totals.covered, totals.total)} (${count(totals.covered)}/${plural(totals.total, 'line')})`;
}

function indirectChange({ before, after }: IndirectFile): string {
  if (before.total === 0) return 'newly coverable';
  if (after.total === 0) return 'no longer coverable';
  return formatPoints((after.covered / after.total - before.covered / before.total) * 100);
}

function indirectSection(result: QgateResult, limits: ViewLimits, linker: Linker, reportUrl: string | null): IndirectSection | null {
  const indirect = result.coverage?.indirect;
  if (!indirect || indirect.files === 0) return null;
  const shown = indirect.listed.slice(0, limits.maxUncoveredFiles);
  const baseline = result.baseline;
  const where = baseline?.ref ? `${baseline.ref}${baseline.commitSha ? ` at ${shortSha(baseline.commitSha)}` : ''}` : 'the baseline';
  // The baseline is the target branch's latest result, not the MR's base: what was merged there since shows here too.
  const moved =
    baseline?.commitSha && result.diff.baseSha && baseline.commitSha !== result.diff.baseSha
      ? ` The baseline is not this merge request's base (${shortSha(result.diff.baseSha)}): changes merged into ${baseline.ref ?? 'the target branch'} since show here too.`
      : '';
  const unlisted = indirect.files - indirect.listed.length;
  return {
    summary: `Coverage changed in ${plural(indirect.files, 'file')} you did not edit`,
    note: `Information only: no gate counts it. Each file's coverage against ${where}, biggest drop first.${moved}`,
    items: shown.map((file) => ({
      file: { text: shorten(file.path), url: linker.file(file.path) },
      before: linesText(file.before),
      after: linesText(file.after),
      change: indirectChange(file),
    })),
    more: more(indirect.listed.length - shown.length, indirect.listed.length - shown.length === 1 ? 'file' : 'files', reportUrl),
    unlisted: unlisted > 0 ? `${plural(unlisted, 'more changed file')} counted, not listed: result.json keeps the ${count(indirect.listed.length)} biggest changes.` : null,
  };
}

function unresolvedSection(result: QgateResult, limits: ViewLimits, reportUrl: string | null): UnresolvedSection | null {
  const items: UnresolvedRow[] = [];
  for (const path of result.coverage?.newCode.unmeasuredFiles ?? []) {
    items.push({ path: shorten(path), detail: 'changed source file in no coverage report (not counted as covered)' });
  }
  for (const entry of result.coverage?.unresolvedPaths ?? []) {
    const candidates = entry.reason === 'untracked' ? '' : entry.candidates.length > 0 ? `; could be ${entry.candidates.slice(0, 3).map((c) => shorten(c)).join(', ')}` : '';
    items.push({ path: shorten(entry.path), detail: `in ${shorten(entry.report)}, ${UNRESOLVED_WHY[entry.reason]}${candidates}` });
  }
  for (const path of result.mutation?.unresolvedFiles ?? []) {
    items.push({ path: shorten(path), detail: 'in the mutation report, matches no repository file' });
  }
  if (items.length === 0) return null;
  const limit = limits.maxUncoveredFiles;
  return {
    summary: `Unmeasured or unresolved files: ${count(items.length)}`,
    items: items.slice(0, limit),
    more: more(items.length - limit, items.length - limit === 1 ? 'file' : 'files', reportUrl),
  };
}

/** Builds the view every human-facing report renders. Pure: no I/O, no environment. */
export function buildViewModel(result: QgateResult, context: ViewContext): ViewModel {
  const limits: ViewLimits = { ...DEFAULT_VIEW_LIMITS, ...context.limits };
  const linker = makeLinker(context.projectUrl, context.commitSha ?? result.diff.headSha);
  const reportUrl = context.reportUrl ? markdownLinkDestination(context.reportUrl) : null;
  const diff = result.diff;
  const view: ViewModel = {
    pipeline: context.pipelineId && /^\d{1,18}$/.test(context.pipelineId) ? context.pipelineId : null,
    verdict: { id: result.verdict, ...VERDICT[result.verdict], headline: shorten(describeVerdict(result), MAX_REASON), reason: shorten(result.verdictReason, MAX_REASON) },
    gates: result.gates.filter((gate) => describeGate(gate, result).notRun === null).map((gate) => gateRow(gate, result)),
    notRun: notRunLine(result),
    comparison: {
      base: shortSha(diff.baseSha),
      head: shortSha(diff.headSha),
      source: diff.source,
      changes: `${plural(diff.addedLines, 'changed line')} in ${plural(diff.changedFiles, 'file')}`,
      baseFrom: diff.baseFrom ? `Base: ${shorten(diff.baseFrom, MAX_REASON)}.` : null,
      baseline: baselineText(result),
      reports: reportsText(result),
    },
    uncovered: uncoveredSection(result, limits, linker, reportUrl),
    changedFiles: changedFilesSection(result, limits, linker),
    scenarios: scenariosSection(result, limits, linker, reportUrl),
    performance: performanceSection(result, limits, reportUrl),
    mutants: mutantsSection(result, limits, linker, reportUrl),
    unresolved: unresolvedSection(result, limits, reportUrl),
    waivers: waiversSection(result, limits, linker, reportUrl),
    indirect: indirectSection(result, limits, linker, reportUrl),
    report: { url: reportUrl, path: shorten(context.reportPath ?? 'qgate-report/index.html') },
    tool: `qgate ${result.tool.version}`,
    truncated: false,
  };
  view.truncated = Boolean(
    view.uncovered?.more ||
      view.uncovered?.files.some((file) => file.moreRanges !== null) ||
      view.scenarios?.moreFailed ||
      view.scenarios?.moreFlaky ||
      view.performance?.moreMetrics ||
      view.performance?.moreThresholds ||
      view.mutants?.more ||
      view.unresolved?.more ||
      view.waivers?.more ||
      view.indirect?.more,
  );
  return view;
}

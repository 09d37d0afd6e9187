/** Step: read every coverage, E2E, k6 and mutation input before anything is written. */
import { realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { CoverageReportConfig, QgateConfig } from '../config/types.js';
import { QgateError } from '../errors.js';
import { readCoverageReport } from '../inputs/coverage/registry.js';
import { discoverReports, type DiscoveredKind } from '../inputs/discover-reports.js';
import { runGit } from '../diff/git-diff.js';
import type { CoverageInput } from '../measure/merge-coverage.js';
import type { E2eReport } from '../model/e2e.js';
import type { MutationReport } from '../model/mutation.js';
import type { K6Run } from '../model/performance.js';
import type { InputRecord } from '../model/result.js';
import { relativeInside } from '../path-inside.js';
import type { CheckOptions } from './context.js';
import { toPosix } from './paths.js';

export interface OtherEvidence {
  e2eReports: E2eReport[];
  k6: K6Run | null;
  k6Baseline: K6Run | null;
  mutation: { report: MutationReport; reportDir: string | null } | null;
  records: InputRecord[];
}

export interface Inputs {
  coverage: CoverageInput[];
  other: OtherEvidence;
  records: InputRecord[];
  /** Zero-config discovery: what was picked and skipped (log lines) and stale reports (warnings). */
  discovery: { log: string[]; warnings: string[] };
}

/**
 * A coverage report larger than this is read in large-report mode: only the records of files
 * the MR changed keep their lines, the rest keep totals, so memory follows the MR, not the
 * report (a 1 GB lcov in well under 256 MB). `QGATE_LARGE_REPORT_BYTES` changes it.
 */
export const LARGE_REPORT_BYTES = 256 * 1024 * 1024;

/** The MR's changed paths, once git has them; null when it could not say (then every report is read whole). */
export type ChangedPaths = () => Promise<ReadonlySet<string> | null>;

export async function readInputs(
  options: CheckOptions,
  config: QgateConfig,
  cwd: string,
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>> = {},
  changedPaths: ChangedPaths = async () => null,
): Promise<Inputs> {
  const expanded = { ...options, coverage: await expandGlobs(options.coverage, cwd, '--coverage'), cucumber: await expandGlobs(options.cucumber, cwd, '--cucumber') };
  const found = await discoverMissing(expanded, config, cwd, repoRoot, env);
  const withFound = found.options;
  const reports = selectReports(withFound, config);
  const threshold = Number(env.QGATE_LARGE_REPORT_BYTES ?? LARGE_REPORT_BYTES);
  const { inputs, records: coverageRecords } = await readCoverageInputs(reports, cwd, repoRoot, { threshold: Number.isFinite(threshold) ? threshold : LARGE_REPORT_BYTES, changedPaths });
  const other = await readOtherEvidence(withFound, config, cwd, repoRoot);
  const records = [...coverageRecords, ...other.records].map((record) => {
    const reason = found.reasons.get(record.path);
    return reason === undefined ? record : { ...record, discovered: reason };
  });
  return { coverage: inputs, other, records, discovery: { log: found.log, warnings: found.warnings } };
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * `--coverage` and `--cucumber` take globs (the component passes them unexpanded, `set -f`): each
 * is expanded here, relative to the working folder, sorted, `node_modules` and `.git` left out,
 * symlinked folders not entered. A glob that matches nothing is an error naming it — never a
 * silently smaller set of reports (a missing shard would look like uncovered code).
 */
async function expandGlobs(patterns: readonly string[], cwd: string, option: string): Promise<string[]> {
  if (!patterns.some((pattern) => GLOB_CHARS.test(pattern))) return [...patterns];
  const { glob } = await import('tinyglobby');
  const paths = new Set<string>();
  for (const pattern of patterns) {
    // A path that exists as written is a file name, even with glob characters in it.
    if (!GLOB_CHARS.test(pattern) || (await isFile(resolve(cwd, pattern)))) {
      paths.add(pattern);
      continue;
    }
    const matches = (await glob(pattern, { cwd, onlyFiles: true, dot: false, followSymbolicLinks: false, expandDirectories: false, ignore: ['**/node_modules/**', '**/.git/**'] })).sort();
    if (matches.length === 0) {
      throw new QgateError('INPUT_NOT_FOUND', `matches no file (${option} glob, from ${cwd}).`, {
        file: pattern,
        hint: 'Check the pattern, and that the jobs that write these reports ran and passed them on as artifacts.',
      });
    }
    for (const match of matches) paths.add(match);
  }
  return [...paths];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Zero-config: the kinds of evidence no option and no config entry names are looked for at the
 * producers' default paths (src/inputs/discover-reports.ts), unless `--no-discover`.
 */
async function discoverMissing(
  options: CheckOptions,
  config: QgateConfig,
  cwd: string,
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ options: CheckOptions; reasons: Map<string, string>; log: string[]; warnings: string[] }> {
  const none = { options, reasons: new Map<string, string>(), log: [], warnings: [] };
  if (options.discover === false || options.diffFile !== undefined) return none;
  const kinds = new Set<DiscoveredKind>();
  if (options.coverage.length === 0 && config.coverage.reports.length === 0) kinds.add('coverage');
  if (options.cucumber.length === 0) kinds.add('e2e');
  if (options.mutation === undefined) kinds.add('mutation');
  if (options.k6 === undefined) kinds.add('performance');
  if (kinds.size === 0) return none;
  const committed = await runGit(repoRoot, env, ['log', '-1', '--format=%ct', options.head ?? 'HEAD']).catch(() => null);
  const seconds = committed !== null && committed.code === 0 ? Number.parseInt(committed.stdout.trim(), 10) : Number.NaN;
  const discovery = await discoverReports({ repoRoot, headCommitTimeMs: Number.isFinite(seconds) ? seconds * 1000 : null, kinds });
  // Paths as the user would have typed them in this folder: the readers resolve them from cwd.
  const asGiven = (path: string): string => toPosix(relative(cwd, join(repoRoot, path))) || path;
  const reasons = new Map<string, string>();
  const picked = { coverage: [] as string[], e2e: [] as string[], mutation: [] as string[], performance: [] as string[] };
  const log: string[] = [];
  for (const report of discovery.reports) {
    const path = asGiven(report.path);
    picked[report.kind].push(path);
    reasons.set(path, report.reason);
    log.push(`read ${path}: ${report.reason} (no --${report.kind === 'e2e' ? 'cucumber' : report.kind === 'performance' ? 'k6' : report.kind} given)`);
  }
  for (const line of discovery.skipped) log.push(`skipped ${line}`);
  return {
    options: {
      ...options,
      coverage: options.coverage.length > 0 ? options.coverage : picked.coverage,
      cucumber: options.cucumber.length > 0 ? options.cucumber : picked.e2e,
      ...(options.mutation === undefined && picked.mutation[0] !== undefined ? { mutation: picked.mutation[0] } : {}),
      ...(options.k6 === undefined && picked.performance[0] !== undefined ? { k6: picked.performance[0] } : {}),
    },
    reasons,
    log,
    warnings: discovery.warnings,
  };
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

/** Path segments' tails: `a/b/c.ts` → `a/b/c.ts`, `b/c.ts`, `c.ts`. */
function tails(path: string): string[] {
  const out = [path];
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) out.push(path.slice(at + 1));
  return out;
}

/**
 * Which reported paths may be one of the changed files: a superset of what path resolution
 * (resolve-paths.ts) can match, by whole path segments, case-insensitively. A report path matches
 * a changed path when one ends with the other (an absolute CI path, a path relative to a
 * package or to a source root).
 */
export function mayBeChanged(changed: ReadonlySet<string>): (reportedPath: string) => boolean {
  const full = new Set<string>();
  const suffixes = new Set<string>();
  for (const path of changed) {
    const lower = path.toLowerCase();
    full.add(lower);
    for (const tail of tails(lower)) suffixes.add(tail);
  }
  return (reportedPath) => {
    const normal = reportedPath.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').toLowerCase();
    if (suffixes.has(normal)) return true;
    return tails(normal).some((tail) => full.has(tail));
  };
}

async function readCoverageInputs(
  reports: ReturnType<typeof selectReports>,
  cwd: string,
  repoRoot: string,
  large: { threshold: number; changedPaths: ChangedPaths },
): Promise<{ inputs: CoverageInput[]; records: InputRecord[] }> {
  let keepLines: ((reportedPath: string) => boolean) | null | undefined;
  const inputs: CoverageInput[] = [];
  const records: InputRecord[] = [];
  for (const entry of reports) {
    // Config paths are relative to the repository root; command-line paths to the working directory.
    const { absolute, reportDir } = await locateInput(entry.path, entry.fromConfig ? repoRoot : cwd, repoRoot);
    if (entry.fromConfig && reportDir === null) {
      // .qgate.yml is part of the merge request: it must not make qgate read files outside the checkout.
      throw new QgateError('INPUT_UNREADABLE', 'is outside the repository checkout; coverage.reports in .qgate.yml may only name files inside it.', {
        file: entry.path,
        hint: 'Move the report into the checkout, or pass it with --coverage on the command line.',
      });
    }
    let parseOptions = {};
    const size = (await stat(absolute).catch(() => null))?.size ?? 0;
    if (size > large.threshold) {
      if (keepLines === undefined) {
        const changed = await large.changedPaths();
        keepLines = changed === null ? null : mayBeChanged(changed);
      }
      if (keepLines !== null) parseOptions = { keepLines };
    }
    const report = await readCoverageReport(entry.path, absolute, entry.format, parseOptions);
    inputs.push({
      file: entry.path,
      report,
      reportDir,
      ...(entry.root !== undefined ? { root: entry.root } : {}),
    });
    records.push({
      kind: 'coverage',
      path: entry.path,
      format: report.format,
      entries: report.files.length,
      producerTotals: report.producerTotals ?? null,
      warnings: report.warnings,
    });
  }
  return { inputs, records };
}

/**
 * Where an input lives (`path` relative to `base`), and its folder relative to the repository,
 * symlinks resolved; null when it lies outside the repository.
 */
async function locateInput(path: string, base: string, repoRoot: string): Promise<{ absolute: string; reportDir: string | null }> {
  const absolute = resolve(base, path);
  let real = absolute;
  try {
    real = await realpath(absolute);
  } catch {
    // Missing files are reported by the reader with the right code.
  }
  const inside = relativeInside(repoRoot, real);
  if (inside === null) return { absolute, reportDir: null };
  const dir = toPosix(dirname(inside));
  return { absolute, reportDir: dir === '.' ? '' : dir };
}

/** Reads the E2E, k6 and mutation inputs named on the command line. */
async function readOtherEvidence(options: CheckOptions, config: QgateConfig, cwd: string, repoRoot: string): Promise<OtherEvidence> {
  const records: InputRecord[] = [];
  const e2eReports: E2eReport[] = [];
  // Each evidence kind's modules load only when that evidence is given: most runs read coverage alone.
  for (const path of options.cucumber) {
    const { readE2eReport } = await import('../inputs/e2e/registry.js');
    const { absolute } = await locateInput(path, cwd, repoRoot);
    const report = await readE2eReport(path, absolute);
    e2eReports.push(report);
    records.push({ kind: 'e2e', path, format: report.format, entries: report.scenarios.length, producerTotals: null, warnings: report.warnings });
  }
  const perf = config.gates.performance;
  const k6Options = { onBrokenLine: perf.onBrokenLine, extraThresholds: perf.extraThresholds, wantedStats: perf.tracked };
  const readK6 = async (path: string | undefined, kind: 'performance' | 'performance-baseline'): Promise<K6Run | null> => {
    if (path === undefined) return null;
    const { readK6Run } = await import('../inputs/perf/registry.js');
    const { absolute } = await locateInput(path, cwd, repoRoot);
    const run = await readK6Run(path, absolute, undefined, k6Options);
    records.push({ kind, path, format: run.format, entries: run.metrics.length, producerTotals: null, warnings: run.warnings });
    return run;
  };
  const k6 = await readK6(options.k6, 'performance');
  const k6Baseline = await readK6(options.k6Baseline, 'performance-baseline');
  let mutation: OtherEvidence['mutation'] = null;
  if (options.mutation !== undefined) {
    const { readMutationReport } = await import('../inputs/mutation/registry.js');
    const { absolute, reportDir } = await locateInput(options.mutation, cwd, repoRoot);
    const report = await readMutationReport(options.mutation, absolute);
    mutation = { report, reportDir };
    records.push({
      kind: 'mutation',
      path: options.mutation,
      format: 'mutation-testing-report-schema',
      entries: report.files.length,
      producerTotals: null,
      warnings: report.warnings,
    });
  }
  return { e2eReports, k6, k6Baseline, mutation, records };
}

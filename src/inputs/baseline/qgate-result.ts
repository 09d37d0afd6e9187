/**
 * A previous qgate run's `result.json` (the target branch's artifact) read as a baseline:
 * its overall coverage, each file's coverage, and its tracked k6 statistics as a k6 run to compare with.
 *
 * The file comes from another pipeline and is treated as hostile: it must match the published
 * result.json schema (src/model/validate-result.ts), and even then only the few fields used
 * are read, each checked for type and range.
 */
import type { K6Metric, K6MetricType, K6Run } from '../../model/performance.js';
import { MAX_PER_FILE_RECORDED, type FileLineCounts } from '../../model/result.js';
import { readResultJson } from '../../model/validate-result.js';
import { finiteNumberOrNull, isJsonObject } from '../json-document.js';

export interface ParsedBaseline {
  /** The commit the baseline was measured on. */
  commitSha: string | null;
  generatedAt: string | null;
  overallCoveragePercent: number | null;
  /**
   * Each file's `[covered, total]` (`coverage.perFile`) by repository path; null when the result
   * has none (no coverage, more files than recorded, or written by a qgate before it was added).
   */
  perFile: ReadonlyMap<string, FileLineCounts> | null;
  /** The tracked statistics of the baseline run; null when it had no k6 results. */
  k6: K6Run | null;
  /** The scenarios that failed or were flaky in that run (their keys); null when it had no e2e results. */
  e2e: { failedKeys: string[]; flakyKeys: string[] } | null;
}

export type BaselineParse = { ok: true; baseline: ParsedBaseline } | { ok: false; reason: string };


/** A percentage outside 0–100 is no measurement: a baseline of −5 would never fail a drop, one of 1e6 always. */
function percentOrNull(value: unknown): number | null {
  const number = finiteNumberOrNull(value);
  return number !== null && number >= 0 && number <= 100 ? number : null;
}

function shortString(value: unknown, max = 200): string | null {
  return typeof value === 'string' && value.length <= max ? value : null;
}

/** The metric type a statistic implies (result.json keeps statistics, not types). */
function typeOf(stats: string[]): K6MetricType {
  if (stats.some((stat) => stat === 'avg' || stat === 'med' || stat.startsWith('p('))) return 'trend';
  if (stats.includes('rate') && !stats.includes('count')) return 'rate';
  if (stats.includes('count')) return 'counter';
  if (stats.includes('value')) return 'gauge';
  return 'trend';
}

/** The `key` of each scenario in a result.json scenario list; hostile entries are dropped. */
function scenarioKeys(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    const key = isJsonObject(entry) ? shortString(entry.key, 2000) : null;
    return key === null ? [] : [key];
  }).slice(0, 10_000);
}

/** A count a report can hold: a non-negative safe integer. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * `coverage.perFile`, entry by entry: a path longer than any file system allows or counts that
 * cannot be (covered above total) are dropped, the rest read; more entries than a run records
 * make the whole record unusable rather than a random part of it.
 */
function readPerFile(perFile: unknown): ParsedBaseline['perFile'] {
  if (!isJsonObject(perFile)) return null;
  const entries = Object.entries(perFile);
  if (entries.length > MAX_PER_FILE_RECORDED) return null;
  const counts = new Map<string, FileLineCounts>();
  for (const [path, value] of entries) {
    if (path.length === 0 || path.length > 4096 || !Array.isArray(value) || value.length !== 2) continue;
    const [covered, total] = value as unknown[];
    if (isCount(covered) && isCount(total) && covered <= total) counts.set(path, [covered, total]);
  }
  return counts;
}

function readE2e(e2e: unknown): ParsedBaseline['e2e'] {
  if (!isJsonObject(e2e)) return null;
  return { failedKeys: scenarioKeys(e2e.failed), flakyKeys: scenarioKeys(e2e.flakyScenarios) };
}

function readK6(performance: unknown): K6Run | null {
  if (!isJsonObject(performance) || !isJsonObject(performance.comparison) || !Array.isArray(performance.comparison.metrics)) return null;
  const byMetric = new Map<string, Record<string, number>>();
  for (const entry of performance.comparison.metrics as unknown[]) {
    if (!isJsonObject(entry)) continue;
    const metric = shortString(entry.metric, 500);
    const stat = shortString(entry.stat, 50);
    const current = finiteNumberOrNull(entry.current);
    if (metric === null || stat === null || current === null) continue;
    const values = byMetric.get(metric) ?? {};
    values[stat] = current;
    byMetric.set(metric, values);
  }
  const run = isJsonObject(performance.run) ? performance.run : {};
  const profile = isJsonObject(run.loadProfile) ? run.loadProfile : {};
  const metrics: K6Metric[] = [...byMetric].map(([name, values]) => ({ name, type: typeOf(Object.keys(values)), contains: null, values, thresholds: [] }));
  return {
    format: 'qgate-result',
    metrics,
    loadProfile: { vusMax: finiteNumberOrNull(profile.vusMax), iterations: finiteNumberOrNull(profile.iterations), durationMs: finiteNumberOrNull(profile.durationMs) },
    warnings: [],
    quantileRelativeError: finiteNumberOrNull(run.quantileRelativeError),
    // The scenarios the run named (written since the history comparison); hostile entries are dropped.
    ...(Array.isArray(run.scenarios) ? { scenarios: run.scenarios.filter((name): name is string => typeof name === 'string' && name.length <= 200).slice(0, 100) } : {}),
  };
}

export function parseBaselineResult(text: string): BaselineParse {
  // One schema decides what a readable result is, for the baseline and the scorecard alike.
  const read = readResultJson(text);
  if (!read.ok) return { ok: false, reason: `the artifact ${read.problem}` };
  const parsed = read.result;
  const coverage = isJsonObject(parsed.coverage) ? parsed.coverage : null;
  const overall = coverage && isJsonObject(coverage.overall) ? coverage.overall : null;
  const diff = isJsonObject(parsed.diff) ? parsed.diff : {};
  const sha = shortString(diff.headSha, 64);
  return {
    ok: true,
    baseline: {
      commitSha: sha !== null && /^[0-9a-f]{7,64}$/.test(sha) ? sha : null,
      generatedAt: shortString(parsed.generatedAt, 40),
      overallCoveragePercent: overall ? percentOrNull(overall.percent) : null,
      perFile: coverage ? readPerFile(coverage.perFile) : null,
      k6: readK6(parsed.performance),
      e2e: readE2e(parsed.e2e),
    },
  };
}

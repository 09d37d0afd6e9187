/**
 * The k6 run against the default branch's history (`performance.history` in result.json):
 * what was compared with what (runs, commits, dates), the baseline range of every tracked
 * statistic, the verdict, and for an inconclusive one why and what to do. See
 * src/measure/perf-history.ts for the rule and docs/noise.md for the user's view.
 */
import type { K6Run, PerformanceDirection } from './performance.js';

/** One baseline run with where it came from. */
export interface HistoryRun {
  run: K6Run;
  /** Commit SHA the run measured; null when unknown. */
  commit: string | null;
  /** When the run's pipeline ran, ISO 8601; null when unknown. */
  date: string | null;
  /** The pipeline or job it was read from, for the page ("pipeline 1234"); null when unknown. */
  source: string | null;
}

export type HistoryVerdict = 'pass' | 'regressed' | 'improved' | 'inconclusive';

export interface HistoryStatistic {
  metric: string;
  stat: string;
  direction: PerformanceDirection;
  current: number | null;
  /** The comparable baseline runs' values, oldest first (the sparkline's points). */
  values: number[];
  /** [min, max] and median of `values`; null when there are none. */
  range: { min: number; max: number; median: number } | null;
  /** The bound the current value had to cross to regress (the worst run widened by the tolerance); null when not judged. */
  regressionBound: number | null;
  status: HistoryVerdict;
  /** One sentence: why this verdict. */
  reason: string;
}

export interface RefusedRun {
  commit: string | null;
  date: string | null;
  source: string | null;
  reason: string;
}

export interface HistoryComparison {
  /** The verdict of the comparison as a whole: the worst of the statistics (regressed > inconclusive > improved > pass). */
  verdict: HistoryVerdict;
  /** Baseline runs compared with, oldest first. */
  compared: Array<{ commit: string | null; date: string | null; source: string | null }>;
  /** Baseline runs read but refused for comparison, with the reason. */
  refused: RefusedRun[];
  minRuns: number;
  statistics: HistoryStatistic[];
  /** Why the verdict is inconclusive; null otherwise. */
  inconclusiveReason: string | null;
  /** What the user can do about an inconclusive verdict; null otherwise. */
  whatToDo: string | null;
}


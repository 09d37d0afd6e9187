/**
 * The k6 run against the default branch's history (`performance.history` in result.json):
 * what was compared with what (runs, commits, dates), the baseline range of every tracked
 * statistic, the verdict, and for an inconclusive one why and what to do. See
 * src/measure/perf-history.ts for the rule and docs/noise.md for the user's view.
 */
export type { HistoryRun, HistoryVerdict, HistoryStatistic, RefusedRun, HistoryComparison } from './performance.js';

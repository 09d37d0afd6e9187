/**
 * The k6 history rows of the comment and report (issue 19): each tracked statistic's current
 * value next to the default-branch runs' range, with its unit (ms, req/s, %), an icon per verdict
 * (an improvement is not a plain pass), and the points of a small inline SVG sparkline for
 * index.html (baseline runs oldest first, then the current run). Data only: the templates draw.
 */
import type { HistoryComparison, HistoryStatistic, HistoryVerdict } from '../model/performance-history.js';
import { formatNumber, formatPercent } from '../text/number.js';

/** Counters whose `rate` is per second (k6's `http_reqs`, `iterations`, `data_*`), not a fraction. */
const PER_SECOND: ReadonlyArray<[RegExp, string]> = [
  [/^http_reqs\b/, 'req/s'],
  [/^iterations\b/, 'iterations/s'],
  [/^data_(received|sent)\b/, 'B/s'],
];
const TIME_METRIC = /(duration|_time|waiting|connecting|blocked|sending|receiving|tls_handshaking|iteration)/;
const TREND_STAT = /^(avg|min|med|max|p\(\d+(\.\d+)?\))$/;

/** A k6 statistic with its unit: `212 ms`, `120.5 req/s`, `0.4 %`, or the bare number. */
export function formatK6Stat(metric: string, stat: string, value: number | null): string {
  if (value === null) return '—';
  if (stat === 'rate') {
    const perSecond = PER_SECOND.find(([pattern]) => pattern.test(metric));
    return perSecond ? `${formatNumber(value)} ${perSecond[1]}` : formatPercent(value * 100);
  }
  if (TREND_STAT.test(stat) && TIME_METRIC.test(metric)) return `${formatNumber(value)} ms`;
  return formatNumber(value);
}

const VERDICT: Record<HistoryVerdict, { icon: string; word: string }> = {
  regressed: { icon: '❌', word: 'regressed' },
  improved: { icon: '🚀', word: 'improved' },
  pass: { icon: '✅', word: 'within the history' },
  inconclusive: { icon: '❔', word: 'inconclusive' },
};

export interface PerfHistoryRow {
  icon: string;
  metric: string;
  stat: string;
  /** The MR's value with its unit. */
  current: string;
  /** "196 ms – 204 ms (5 runs)", or "no comparable run". */
  range: string;
  status: string;
  /** Sparkline geometry for index.html; null with fewer than two points. */
  sparkline: { width: number; height: number; points: string; currentX: number; currentY: number; title: string } | null;
}

export interface PerfHistoryView {
  /** "against 5 default-branch runs (2026-12-01 – 2026-12-05): 1 regressed"; with the reason when inconclusive. */
  summary: string;
  whatToDo: string | null;
  rows: PerfHistoryRow[];
}

const WIDTH = 120;
const HEIGHT = 24;
const PAD = 3;

function sparkline(entry: HistoryStatistic, label: string): PerfHistoryRow['sparkline'] {
  const points = entry.current === null ? entry.values : [...entry.values, entry.current];
  if (points.length < 2) return null;
  const low = Math.min(...points);
  const high = Math.max(...points);
  const x = (index: number): number => PAD + (index * (WIDTH - 2 * PAD)) / (points.length - 1);
  const y = (value: number): number => (high === low ? HEIGHT / 2 : PAD + ((high - value) * (HEIGHT - 2 * PAD)) / (high - low));
  const round = (n: number): number => Math.round(n * 10) / 10;
  const last = points.length - 1;
  const shown = entry.values.map((value) => formatK6Stat(entry.metric, entry.stat, value)).join(', ');
  return {
    width: WIDTH,
    height: HEIGHT,
    points: points.map((value, index) => `${round(x(index))},${round(y(value))}`).join(' '),
    currentX: round(x(last)),
    currentY: round(y(points[last] as number)),
    title: `${label}: baseline runs ${shown}${entry.current === null ? '' : `; this MR ${formatK6Stat(entry.metric, entry.stat, entry.current)}`}`,
  };
}

function day(date: string | null): string | null {
  return date === null ? null : date.slice(0, 10);
}

export function perfHistoryView(history: HistoryComparison | undefined | null): PerfHistoryView | null {
  if (history === undefined || history === null) return null;
  const runs = history.compared.length;
  const dates = history.compared.map((entry) => day(entry.date)).filter((date): date is string => date !== null);
  const span = dates.length > 0 ? ` (${dates[0]}${dates.length > 1 ? ` – ${dates[dates.length - 1]}` : ''})` : '';
  const counts = (['regressed', 'improved'] as const)
    .map((status) => [status, history.statistics.filter((entry) => entry.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const verdict = history.verdict === 'inconclusive' ? `inconclusive: ${history.inconclusiveReason ?? 'too few comparable runs'}` : counts.length > 0 ? counts.join(', ') : 'every statistic within the history';
  const refused = history.refused.length > 0 ? `; ${history.refused.length} run${history.refused.length === 1 ? '' : 's'} refused (${history.refused[0]?.reason ?? ''})` : '';
  return {
    summary: `against ${runs} default-branch run${runs === 1 ? '' : 's'}${span}: ${verdict}${refused}`,
    whatToDo: history.whatToDo,
    rows: history.statistics.map((entry) => {
      const label = `${entry.metric} ${entry.stat}`;
      const range =
        entry.range === null
          ? 'no comparable run'
          : `${formatK6Stat(entry.metric, entry.stat, entry.range.min)} – ${formatK6Stat(entry.metric, entry.stat, entry.range.max)} (${entry.values.length} run${entry.values.length === 1 ? '' : 's'})`;
      return {
        icon: VERDICT[entry.status].icon,
        metric: entry.metric,
        stat: entry.stat,
        current: formatK6Stat(entry.metric, entry.stat, entry.current),
        range,
        status: VERDICT[entry.status].word,
        sparkline: sparkline(entry, label),
      };
    }),
  };
}

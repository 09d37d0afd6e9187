/**
 * The k6 history rows: the MR's value next to the default-branch runs' range with units (ms,
 * req/s, %), the right icon for an improvement, and a self-contained SVG sparkline per compared
 * statistic in index.html, on histories generated with compareWithHistory.
 */
import { describe, expect, it } from 'vitest';
import { compareWithHistory, type HistoryRun } from '../../src/measure/perf-history.js';
import type { K6Run } from '../../src/model/performance.js';
import { renderComment } from '../../src/render/comment.js';
import { renderHtmlReport } from '../../src/render/html-report.js';
import { formatK6Stat, perfHistoryView } from '../../src/render/perf-history-view.js';
import { buildViewModel } from '../../src/render/view-model.js';
import { failingResult } from './result-fixtures.js';

const PROFILE = { vusMax: 10, iterations: 500, durationMs: 30_000 };

function run(p95: number, reqs: number, failed: number): K6Run {
  return {
    format: 'k6-summary-export',
    metrics: [
      { name: 'http_req_duration', type: 'trend', contains: 'time', values: { 'p(95)': p95 }, thresholds: [] },
      { name: 'http_reqs', type: 'counter', contains: 'default', values: { count: reqs * 30, rate: reqs }, thresholds: [] },
      { name: 'http_req_failed', type: 'rate', contains: 'default', values: { rate: failed }, thresholds: [] },
    ],
    loadProfile: PROFILE,
    warnings: [],
    quantileRelativeError: null,
  };
}

const HISTORY: HistoryRun[] = [200, 204, 198, 202, 201].map((p95, index) => ({
  run: run(p95, 100 + index, 0.01),
  commit: `${index}`.repeat(40),
  date: `2026-12-0${index + 1}T10:00:00Z`,
  source: `pipeline ${100 + index}`,
}));

const TRACKED = [
  { metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10 },
  { metric: 'http_reqs', stat: 'rate', maxDecreasePercent: 10, direction: 'higher-is-better' as const },
  { metric: 'http_req_failed', stat: 'rate', maxIncreaseAbsolute: 0.01 },
];

describe('k6 history rows', () => {
  it('formats each statistic with its unit: ms, req/s, %', () => {
    expect(formatK6Stat('http_req_duration', 'p(95)', 212)).toBe('212 ms');
    expect(formatK6Stat('http_reqs', 'rate', 120.46)).toBe('120.5 req/s');
    expect(formatK6Stat('http_req_failed', 'rate', 0.004)).toBe('0.4 %');
  });

  it('shows the range next to the value, an improvement with its own icon, and a sparkline per statistic', () => {
    const history = compareWithHistory(run(150, 130, 0.01), HISTORY, { tracked: TRACKED });
    const view = perfHistoryView(history)!;
    expect(view.summary).toBe('against 5 default-branch runs (2026-12-01 – 2026-12-05): 2 improved');
    const [p95, reqs, failed] = view.rows;
    expect(p95).toMatchObject({ icon: '🚀', current: '150 ms', range: '198 ms – 204 ms (5 runs)', status: 'improved' });
    expect(reqs).toMatchObject({ icon: '🚀', current: '130 req/s', range: '100 req/s – 104 req/s (5 runs)' });
    expect(failed).toMatchObject({ icon: '✅', current: '1 %', range: '1 % – 1 % (5 runs)', status: 'within the history' });
    expect(p95!.sparkline!.points.split(' ')).toHaveLength(6);
    expect(p95!.sparkline!.title).toBe('http_req_duration p(95): baseline runs 200 ms, 204 ms, 198 ms, 202 ms, 201 ms; this MR 150 ms');
  });

  it('says why a too-short history is inconclusive', () => {
    const view = perfHistoryView(compareWithHistory(run(300, 100, 0.01), HISTORY.slice(0, 1), { tracked: TRACKED }))!;
    expect(view.summary).toMatch(/^against 1 default-branch run \(2026-12-01\): inconclusive: 1 of the 1 baseline run is comparable/);
    expect(view.whatToDo).not.toBeNull();
    expect(view.rows[0]!.icon).toBe('❔');
  });

  it('renders the rows in the comment and the sparklines in index.html', () => {
    const result = failingResult();
    result.performance = { ...result.performance!, history: compareWithHistory(run(260, 100, 0.01), HISTORY, { tracked: TRACKED }) };
    const context = { projectUrl: null, commitSha: null, reportUrl: null };
    const markdown = renderComment(buildViewModel(result, context));
    expect(markdown).toContain("Against the default branch's history: against 5 default-branch runs");
    expect(markdown).toMatch(/\| ❌ \| http_req_duration \| p\(95\) \| 260 ms \| 198 ms – 204 ms \(5 runs\) \| regressed \|/);
    const html = renderHtmlReport(result, context);
    const sparklines = html.match(/<svg class="sparkline" role="img"[^]*?<\/svg>/g) ?? [];
    expect(sparklines).toHaveLength(3);
    for (const svg of sparklines) {
      expect(svg).toMatch(/<title>http_req\w* [\w()]+: baseline runs [^<]+; this MR [^<]+<\/title>/);
      expect(svg).toMatch(/<polyline points="[\d., ]+"/);
      expect(svg).not.toMatch(/href|<image|url\(/);
    }
  });
});

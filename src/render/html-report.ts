/**
 * `index.html`, the full report, rendered from the view model with the HTML templates in
 * `report-templates/html/` (one partial per section). Self-contained: inline CSS and SVG, no
 * script, font, image or any other URL the browser would fetch.
 *
 * Escaping: Handlebars' own escaping is HTML escaping, which is the right language here, so a
 * template prints values with a plain `{{x}}`. A triple-stash `{{{x}}}` (or `{{& x}}`) is never
 * right: `test/render/html-report.test.ts` walks every template's AST and fails on one. Link
 * destinations go through `{{href x}}`, which refuses anything but http(s) (the view model only
 * builds http(s) links; this is the second lock). Compiles are `strict` (a renamed field throws)
 * and `knownHelpersOnly`, on an isolated instance.
 *
 * Pure: the changed files' source comes from the caller's `readSource`, which decides what may
 * be read; without it the report shows line numbers with their status only.
 */
import type { QgateResult } from '../model/result.js';
import { sourceLines } from './source-lines.js';
import { compileTemplateFolder, htmlHref } from './template-folder.js';
import { buildViewModel, shorten, type ChangedFileRow, type ChangedLineRow, type MoreNotice, type PerformanceChartRow, type ViewContext, type ViewModel } from './view-model.js';

/** The helpers an HTML template may call (the built-in block helpers aside). */
export const HTML_HELPERS = ['href'] as const;

/** The full report lists every entry; these only bound pathological inputs. */
const FULL_LIMITS = { maxUncoveredFiles: 100_000, maxRangesPerFile: 100_000, maxScenarios: 10_000, maxMutants: 10_000, maxMetrics: 1_000 };

/** Characters of one source line shown (a minified bundle must not make a 50 MB report). */
const MAX_SOURCE_LINE = 400;

export interface HtmlReportContext extends ViewContext {
  /**
   * The text of a repository file at the checked-out head, or null when it must not or cannot be
   * read. The caller guarantees the path is a tracked, regular file inside the repository.
   */
  readSource?: (path: string) => string | null;
}

interface HtmlLine extends ChangedLineRow {
  /** The source text, or null when the source is not available. */
  source: string | null;
}

interface HtmlFile extends Omit<ChangedFileRow, 'hunks'> {
  id: string;
  hunks: Array<{ title: string; lines: HtmlLine[] }>;
  hasSource: boolean;
}

/** SVG geometry of the k6 chart, computed here so the template only places it. */
interface HtmlChart {
  width: number;
  height: number;
  barX: number;
  rows: Array<PerformanceChartRow & { y: number; labelY: number; baselineY: number; currentY: number; baselineWidth: number; currentWidth: number; baselineTextX: number; currentTextX: number; textBaselineY: number; textCurrentY: number }>;
  /** The chart's accessible name. */
  title: string;
}

export interface HtmlView extends Omit<ViewModel, 'changedFiles'> {
  changedFiles: { summary: string; files: HtmlFile[]; more: MoreNotice | null } | null;
  chart: HtmlChart | null;
  /** `passed`, `warning` or `failed`: the verdict's CSS class and word. */
  verdictClass: string;
  /** Whether the changed files show source (else line numbers only). */
  sourceNote: string | null;
}

const VERDICT_CLASS = { pass: 'passed', warn: 'warning', fail: 'failed' } as const;

const CHART = { width: 760, labelWidth: 220, rowHeight: 56, bar: 18, gap: 4, top: 8, textRoom: 230 };

function chart(rows: PerformanceChartRow[]): HtmlChart | null {
  if (rows.length === 0) return null;
  const span = CHART.width - CHART.labelWidth - CHART.textRoom;
  return {
    width: CHART.width,
    height: CHART.top * 2 + rows.length * CHART.rowHeight,
    barX: CHART.labelWidth,
    title: 'k6 statistics: current run versus baseline, each pair scaled to its larger value',
    rows: rows.map((row, i) => {
      const y = CHART.top + i * CHART.rowHeight;
      const baselineWidth = Math.max(1, Math.round(row.baseline * span));
      const currentWidth = Math.max(1, Math.round(row.current * span));
      return {
        ...row,
        y,
        labelY: y + CHART.bar + 2,
        baselineY: y + 4,
        currentY: y + 4 + CHART.bar + CHART.gap,
        baselineWidth,
        currentWidth,
        baselineTextX: CHART.labelWidth + baselineWidth + 6,
        currentTextX: CHART.labelWidth + currentWidth + 6,
        textBaselineY: y + 4 + CHART.bar - 5,
        textCurrentY: y + 4 + 2 * CHART.bar + CHART.gap - 5,
      };
    }),
  };
}

/**
 * Control characters (NUL is invalid in HTML text) and bidirectional controls — embeddings,
 * overrides, isolates and the direction marks LRM, RLM and ALM, any of which can make a path or a
 * source line read differently from what it is — are shown as U+FFFD. Joiners stay: emoji and
 * several scripts need them.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function clean<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSAFE_CHARS, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => clean(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clean(item)])) as T;
  }
  return value;
}

/** The view the HTML templates render: the view model plus source text and chart geometry. */
export function buildHtmlView(result: QgateResult, context: HtmlReportContext): HtmlView {
  const view = buildViewModel(result, { ...context, limits: { ...FULL_LIMITS, ...context.limits } });
  const changed = view.changedFiles;
  // Source is shown only for files with coverable changed lines; the others (docs, lockfiles,
  // `#define`-only headers) are listed by name with their status, so the report scales with the code.
  const files: HtmlFile[] = (changed?.files ?? []).map((file, index) => {
    const coverable = file.hunks.some((hunk) => hunk.lines.some((line) => line.kind === 'covered' || line.kind === 'uncovered'));
    if (!coverable) file = { ...file, hunks: [] };
    const lines = file.hunks.length > 0 ? sourceLines(file.path, context.readSource) : null;
    return {
      ...file,
      id: `file-${index + 1}`,
      hasSource: lines !== null,
      hunks: file.hunks.map((hunk) => ({
        title: hunk.title,
        lines: hunk.lines.map((line) => ({ ...line, source: lines === null ? null : shorten(lines[line.number - 1] ?? '', MAX_SOURCE_LINE) })),
      })),
    };
  });
  const anySource = files.some((file) => file.hasSource);
  const anyLines = files.some((file) => file.hunks.length > 0);
  return clean({
    ...view,
    changedFiles: changed === null ? null : { summary: changed.summary, files, more: changed.more },
    chart: chart(view.performance?.chart ?? []),
    verdictClass: VERDICT_CLASS[result.verdict],
    sourceNote: !anyLines ? null : anySource ? null : 'Source text is not available in this report: each changed line is listed by number with its status.',
  });
}

function createRenderer(): (view: HtmlView) => string {
  return compileTemplateFolder<HtmlView>('html', 'index', () => ({ href: htmlHref } satisfies Record<(typeof HTML_HELPERS)[number], unknown>));
}

let renderer: ((view: HtmlView) => string) | null = null;

export function renderHtml(view: HtmlView): string {
  renderer ??= createRenderer();
  return renderer(view);
}

/** `index.html` for a result. */
export function renderHtmlReport(result: QgateResult, context: HtmlReportContext): string {
  return renderHtml(buildHtmlView(result, context));
}

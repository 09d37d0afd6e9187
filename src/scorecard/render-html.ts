/**
 * `scorecard.html`: self-contained (inline CSS and SVG, no script, CSP `default-src 'none'`),
 * rendered from one view built here; the template in `report-templates/scorecard/` only places
 * it. "Sortable" without script: the project table is rendered once per order (by level, by
 * project path) and the column headers link to the other order's anchor; CSS `:target` shows
 * the chosen one. Escaping is Handlebars' HTML escaping; links go through `href`, which takes
 * http(s) only; control and bidi-override characters become U+FFFD.
 */
import { compileTemplateFolder, htmlHref } from '../render/template-folder.js';
import type { CheckStatus, ProjectScore, RubricCheck, Scorecard, TrendPoint } from './model.js';

const STATUS = {
  pass: { icon: '✔', word: 'pass', className: 'st-pass' },
  fail: { icon: '✘', word: 'fail', className: 'st-fail' },
  missing: { icon: '?', word: 'not collected', className: 'st-missing' },
  'no-data': { icon: '?', word: 'no data', className: 'st-missing' },
  'n/a': { icon: '–', word: 'n/a', className: 'st-na' },
  waived: { icon: '⚑', word: 'waived', className: 'st-na' },
} satisfies Record<CheckStatus, { icon: string; word: string; className: string }>;

const SPARK = { width: 120, height: 28, pad: 3 };

interface Sparkline {
  width: number;
  height: number;
  points: string;
  lastX: number;
  lastY: number;
  label: string;
}

interface ProjectRow {
  path: string;
  name: string;
  showName: boolean;
  webUrl: string | null;
  levelName: string;
  levelClass: string;
  /** The next level and its blocking checks, worst first. */
  nextText: string;
  checks: Array<{ icon: string; word: string; className: string; value: string }>;
  spark: Sparkline | null;
  trendText: string;
}

interface TableView {
  id: string;
  caption: string;
  byLevel: boolean;
  isDefault: boolean;
  rows: ProjectRow[];
}

export interface ScorecardHtmlView {
  title: string;
  generatedAt: string;
  sourceText: string;
  tool: string;
  summary: { rows: Array<{ name: string; count: number; levelClass: string }>; scored: number; archived: number; failed: number };
  rubric: Array<{ name: string; checks: Array<{ id: string; type: string; bar: string; rationale: string }> }>;
  columns: Array<{ id: string; levelName: string }>;
  tables: TableView[];
  notScored: Array<{ path: string; state: string; reason: string }>;
  trendNote: string;
}

// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

function clean<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSAFE_CHARS, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => clean(item)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clean(item)])) as T;
  return value;
}

function bar(check: RubricCheck): string {
  switch (check.type) {
    case 'overall_coverage':
    case 'mutation':
      return `at least ${check.min ?? 0}%`;
    case 'new_code_gate':
      return check.minThreshold === undefined ? 'passes' : `passes, with a min of at least ${check.minThreshold}%`;
    case 'e2e':
      return `at least ${check.minScenarios ?? 1} scenario(s), none failed`;
    case 'readme':
      return `at least ${check.minBytes ?? 1} bytes`;
    case 'adr':
      return `at least ${check.minFiles ?? 1} record(s)`;
    case 'qgate_runs':
      return check.maxAgeDays === undefined || check.maxAgeDays === null ? 'any result' : `a result at most ${check.maxAgeDays} days old`;
    case 'performance':
      return 'baseline compared, no regression';
    case 'codeowners':
      return 'present';
    case 'protected_branch':
      return `protected, at least ${check.minApprovals ?? 1} approval(s)`;
    case 'branch_naming':
      return `at least ${check.minShare ?? 80}% of merged MR branches match ${check.pattern ?? ''}`;
    case 'release_cadence':
      return `at least ${check.minReleases ?? 1} release(s) in ${check.days ?? 90} days`;
    case 'pipeline_health':
      return `at least ${check.minSuccessRate ?? 0}% green${check.maxHoursToGreen === undefined ? '' : `, median at most ${check.maxHoursToGreen} h to green`}`;
    case 'deployments':
      return 'deploys to production and to a non-production environment';
    case 'feature_flags':
      return `at least ${check.minFlags ?? 1} flag(s)`;
    case 'readme_fresh':
      return check.maxAgeDays === null || check.maxAgeDays === undefined ? 'any age' : `changed within ${check.maxAgeDays} days`;
    case 'monitoring':
      return 'monitoring and incident links declared';
  }
}

function sparkline(trend: TrendPoint[]): Sparkline | null {
  const points = trend.filter((point): point is TrendPoint & { overallCoverage: number } => point.overallCoverage !== null);
  if (points.length === 0) return null;
  const span = SPARK.width - 2 * SPARK.pad;
  const step = points.length === 1 ? 0 : span / (points.length - 1);
  const xy = points.map((point, index) => {
    const x = Math.round((SPARK.pad + index * step) * 10) / 10;
    const y = Math.round((SPARK.pad + ((100 - Math.min(100, Math.max(0, point.overallCoverage))) / 100) * (SPARK.height - 2 * SPARK.pad)) * 10) / 10;
    return [x, y] as const;
  });
  const last = xy.at(-1) ?? [0, 0];
  return {
    width: SPARK.width,
    height: SPARK.height,
    points: xy.map(([x, y]) => `${x},${y}`).join(' '),
    lastX: last[0],
    lastY: last[1],
    label: `Overall coverage over the last ${points.length} result${points.length === 1 ? '' : 's'}, oldest first: ${points.map((point) => `${point.overallCoverage}%`).join(', ')}`,
  };
}

function row(project: ProjectScore, levelNames: Map<string, string>): ProjectRow {
  const latest = project.trend.at(-1)?.overallCoverage;
  return {
    path: project.path,
    name: project.name,
    showName: project.name !== project.path.split('/').at(-1),
    webUrl: project.webUrl !== null && /^https?:\/\//i.test(project.webUrl) ? project.webUrl : null,
    levelName: levelNames.get(project.level ?? 'none') ?? 'None',
    levelClass: `lv-${project.level ?? 'none'}`,
    nextText: project.next ? `${project.next.name}: ${project.next.blocking.map((check) => `${check.id} (${STATUS[check.status].word}: ${check.value})`).join('; ')}` : 'top level reached',
    checks: project.checks.map((check) => ({ ...STATUS[check.status], value: check.value })),
    spark: sparkline(project.trend),
    trendText: latest === undefined || latest === null ? 'no coverage results' : `${latest}% now`,
  };
}

export function buildScorecardHtmlView(scorecard: Scorecard): ScorecardHtmlView {
  const levelNames = new Map(scorecard.summary.levels.map((level) => [level.id, level.name]));
  const rank = new Map(scorecard.summary.levels.map((level, index) => [level.id, index]));
  const scored = scorecard.projects.filter((project) => project.state === 'active');
  const byLevel = [...scored].sort((a, b) => (rank.get(a.level ?? 'none') ?? 99) - (rank.get(b.level ?? 'none') ?? 99) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const source = scorecard.source.kind === 'gitlab' ? `GitLab group ${scorecard.source.group}` : `directory ${scorecard.source.path}`;
  return clean({
    title: `Engineering maturity scorecard — ${source}`,
    generatedAt: scorecard.generatedAt,
    sourceText: source,
    tool: `qgate ${scorecard.tool.version}`,
    summary: {
      rows: scorecard.summary.levels.map((level) => ({ name: level.name, count: level.count, levelClass: `lv-${level.id}` })),
      scored: scored.length,
      archived: scorecard.summary.archived,
      failed: scorecard.summary.failed,
    },
    rubric: scorecard.rubric.levels.map((level) => ({
      name: level.name,
      checks: level.checks.map((check) => ({ id: check.id, type: check.type, bar: bar(check), rationale: check.rationale })),
    })),
    columns: scorecard.rubric.levels.flatMap((level) => level.checks.map((check) => ({ id: check.id, levelName: level.name }))),
    // The default view comes last in the document so CSS can hide it when another is targeted.
    tables: [
      { id: 'by-path', caption: 'Projects by path', byLevel: false, isDefault: false, rows: scored.map((project) => row(project, levelNames)) },
      { id: 'by-level', caption: 'Projects by level, highest first', byLevel: true, isDefault: true, rows: byLevel.map((project) => row(project, levelNames)) },
    ],
    notScored: scorecard.projects
      .filter((project) => project.state !== 'active')
      .map((project) => ({ path: project.path, state: project.state, reason: project.state === 'failed' ? (project.failure ?? 'failed') : (project.notes[0] ?? project.state) })),
    trendNote: `The trend is overall line coverage over the last ${scorecard.rubric.trend.results} default-branch results at most, oldest on the left.`,
  });
}

let renderer: ((view: ScorecardHtmlView) => string) | null = null;

function createRenderer(): (view: ScorecardHtmlView) => string {
  return compileTemplateFolder<ScorecardHtmlView>('scorecard', 'scorecard', () => ({ href: htmlHref }));
}

export function renderScorecardHtml(scorecard: Scorecard): string {
  renderer ??= createRenderer();
  return renderer(buildScorecardHtmlView(scorecard));
}

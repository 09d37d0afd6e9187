/**
 * `scorecard.csv`: one row per project, one column per check, for a spreadsheet.
 * RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): CRLF line ends, a field with a comma, a
 * quote, CR or LF is quoted with inner quotes doubled. Cells that a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, tab or CR — OWASP's "CSV injection" list) get a
 * leading `'`, so a project named `=HYPERLINK(...)` stays text.
 */
import type { Scorecard } from './model.js';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const inert = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

export function renderScorecardCsv(scorecard: Scorecard): string {
  const checks = scorecard.rubric.levels.flatMap((level) => level.checks);
  // One status column and one numeric column per check: a spreadsheet can sort and chart the numbers.
  const header = ['project', 'name', 'state', 'level', ...checks.flatMap((check) => [check.id, `${check.id}_measure`]), 'latest_overall_coverage', 'coverage_exclusions_added', 'web_url', 'failure'];
  const rows = scorecard.projects.map((project) => {
    const byId = new Map(project.checks.map((check) => [check.id, check]));
    const latest = project.trend.at(-1)?.overallCoverage;
    return [
      project.path,
      project.name,
      project.state,
      project.level ?? '',
      ...checks.flatMap((check) => {
        const outcome = byId.get(check.id);
        const measure = outcome?.measure;
        return [outcome?.status ?? '', measure === undefined || measure === null ? '' : String(measure)];
      }),
      latest === undefined || latest === null ? '' : String(latest),
      project.exclusionsAdded === undefined || project.exclusionsAdded === null ? '' : String(project.exclusionsAdded),
      project.webUrl ?? '',
      project.failure ?? '',
    ];
  });
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function renderScorecardJson(scorecard: Scorecard): string {
  return `${JSON.stringify(scorecard, null, 2)}\n`;
}

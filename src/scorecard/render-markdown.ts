/**
 * `scorecard.md`: the page a lead reads in a minute, for a wiki page or an issue. The level
 * counts, a rollup per subgroup (the project path minus its last segment), then every scored
 * project with what keeps it from the next level, worst first; lowest level first, because
 * that is where the help is needed. Cells are escaped for GitLab Flavored Markdown tables.
 */
import type { ProjectScore, Scorecard } from './model.js';

/** Table-safe: no pipe, no newline, no HTML, no link or image syntax from a project's name. */
export function mdCell(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/([\\`*_[\]<>|!#~])/g, '\\$1').slice(0, 300);
}

function subgroupOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 1 ? parts.slice(0, -1).join('/') : '(root)';
}

export function renderScorecardMarkdown(scorecard: Scorecard): string {
  const names = new Map(scorecard.summary.levels.map((level) => [level.id, level.name]));
  const rank = new Map(scorecard.summary.levels.map((level, index) => [level.id, index]));
  const scored = scorecard.projects.filter((project) => project.state === 'active');
  const source = scorecard.source.kind === 'gitlab' ? `GitLab group ${scorecard.source.group}` : `directory ${scorecard.source.path}`;
  const lines: string[] = [];
  lines.push(`## Engineering maturity scorecard — ${mdCell(source)}`, '');
  lines.push(`${scorecard.generatedAt.slice(0, 10)} · ${scored.length} scored · ${scorecard.summary.levels.map((level) => `${level.name} ${level.count}`).join(' · ')} · ${scorecard.summary.archived} archived · ${scorecard.summary.forks} forks · ${scorecard.summary.empty} empty · ${scorecard.summary.failed} not collected`, '');

  const groups = new Map<string, ProjectScore[]>();
  for (const project of scored) groups.set(subgroupOf(project.path), [...(groups.get(subgroupOf(project.path)) ?? []), project]);
  const levelIds = scorecard.summary.levels.map((level) => level.id);
  lines.push('### By subgroup', '', `| Subgroup | Projects | ${scorecard.summary.levels.map((level) => mdCell(level.name)).join(' | ')} |`, `|---|---:|${levelIds.map(() => '---:').join('|')}|`);
  for (const [group, projects] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(`| ${mdCell(group)} | ${projects.length} | ${levelIds.map((id) => projects.filter((project) => (project.level ?? 'none') === id).length).join(' | ')} |`);
  }
  lines.push('', '### What keeps each project from its next level (worst first)', '', '| Project | Level | Next | Blocking checks | Coverage exclusions added |', '|---|---|---|---|---:|');
  const ordered = [...scored].sort((a, b) => (rank.get(b.level ?? 'none') ?? 0) - (rank.get(a.level ?? 'none') ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const project of ordered) {
    const blocking = project.next?.blocking.map((check) => `${check.id}: ${check.status} (${check.value})`).join('; ') ?? '—';
    lines.push(`| ${mdCell(project.path)} | ${mdCell(names.get(project.level ?? 'none') ?? 'None')} | ${mdCell(project.next?.name ?? 'top level')} | ${mdCell(blocking)} | ${project.exclusionsAdded === undefined || project.exclusionsAdded === null ? '—' : project.exclusionsAdded} |`);
  }
  const notScored = scorecard.projects.filter((project) => project.state !== 'active');
  if (notScored.length > 0) {
    lines.push('', '### Not scored', '');
    for (const project of notScored) lines.push(`- ${mdCell(project.path)}: ${mdCell(project.state === 'failed' ? `not collected: ${project.failure ?? 'unknown error'}` : (project.notes[0] ?? project.state))}`);
  }
  const waivers = scored.flatMap((project) => project.checks.filter((check) => check.waiver !== undefined).map((check) => `- ${mdCell(project.path)}: ${mdCell(check.id)} ${check.waiver?.expired ? '**expired, not honoured**' : check.status} — ${mdCell(check.waiver?.reason ?? '')} (${mdCell(check.waiver?.by ?? '')}${check.waiver?.until ? `, until ${check.waiver.until}` : ''})`));
  if (waivers.length > 0) lines.push('', '### Waivers and n/a (from each project\'s .qgate-scorecard.yml)', '', ...waivers);
  return `${lines.join('\n')}\n`;
}

/**
 * Trend history that outlives artifact expiry: `--previous FILE` is the last run's
 * `scorecard.json` (the scorecard job's own artifact, fetched by the next scheduled run, or a
 * file committed to a `scorecard-history` branch — docs/scorecard.md). Each project's trend is
 * the previous trend plus what this run read, without duplicates, capped at MAX_POINTS, so a
 * run needs to read only the newest result of each project.
 * Hostile input: a file that is not a scorecard.json of this schemaVersion is refused with a
 * clear error (exit 2); a bad point inside is dropped.
 */
import { readFile, stat } from 'node:fs/promises';
import { QgateError } from '../errors.js';
import { SCORECARD_SCHEMA_VERSION, type Scorecard, type TrendPoint } from './model.js';

export const MAX_POINTS = 100;
const MAX_BYTES = 64 * 1024 * 1024;

function isPoint(value: unknown): value is TrendPoint {
  if (typeof value !== 'object' || value === null) return false;
  const point = value as Record<string, unknown>;
  return typeof point.generatedAt === 'string' && !Number.isNaN(Date.parse(point.generatedAt)) && (point.overallCoverage === null || (typeof point.overallCoverage === 'number' && Number.isFinite(point.overallCoverage)));
}

/** Project path → its earlier trend points, from a previous scorecard.json. */
export async function readPreviousTrends(path: string, shown: string): Promise<Map<string, TrendPoint[]>> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new QgateError('INPUT_NOT_FOUND', 'is not a file.', { file: shown, hint: 'Pass the scorecard.json of an earlier run, or leave out --previous.' });
  if (info.size > MAX_BYTES) throw new QgateError('USAGE', `--previous ${shown} is larger than ${MAX_BYTES / 1024 / 1024} MiB; it is no scorecard.json.`);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new QgateError('USAGE', `--previous ${shown} is not valid JSON; pass the scorecard.json of an earlier run.`);
  }
  const card = data as Partial<Scorecard>;
  if (typeof data !== 'object' || data === null || card.schemaVersion !== SCORECARD_SCHEMA_VERSION || !Array.isArray(card.projects)) {
    throw new QgateError('USAGE', `--previous ${shown} is not a scorecard.json with schemaVersion ${SCORECARD_SCHEMA_VERSION}.`);
  }
  const trends = new Map<string, TrendPoint[]>();
  for (const project of card.projects as unknown[]) {
    if (typeof project !== 'object' || project === null) continue;
    const { path: projectPath, trend } = project as { path?: unknown; trend?: unknown };
    if (typeof projectPath !== 'string' || !Array.isArray(trend)) continue;
    trends.set(projectPath, trend.filter(isPoint).map((point) => ({ generatedAt: new Date(point.generatedAt).toISOString(), overallCoverage: point.overallCoverage })));
  }
  return trends;
}

/** The scorecard with each project's trend extended by its earlier points (oldest first, deduplicated by date). */
export function withHistory(scorecard: Scorecard, previous: ReadonlyMap<string, TrendPoint[]>): Scorecard {
  return {
    ...scorecard,
    projects: scorecard.projects.map((project) => {
      const earlier = previous.get(project.path);
      if (!earlier || project.state !== 'active') return project;
      const byDate = new Map<string, TrendPoint>();
      for (const point of [...earlier, ...project.trend]) byDate.set(point.generatedAt, point);
      const trend = [...byDate.values()].sort((a, b) => (a.generatedAt < b.generatedAt ? -1 : a.generatedAt > b.generatedAt ? 1 : 0)).slice(-MAX_POINTS);
      return { ...project, trend };
    }),
  };
}

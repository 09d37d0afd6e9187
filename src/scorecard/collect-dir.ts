/**
 * Collecting evidence offline from `--from DIR`, for runners without API access or for tests.
 * Layout (docs/scorecard.md):
 *
 *   DIR/<project path>/project.json     optional: {"name", "webUrl", "defaultBranch", "archived"}
 *   DIR/<project path>/results/*.json   default-branch result.json files, any names
 *   DIR/<project path>/repo/            a checkout of the default branch (only a few names are read)
 *
 * A folder holding any of those three is a project, named by its path under DIR; the walk does
 * not descend into it. Nothing outside DIR is read: symbolic links are not followed.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapWithConcurrency } from './concurrency.js';
import type { ApiFacts, ProjectEvidence, ResultSnapshot, Rubric } from './model.js';
import { readRepoFacts, type RepoEntry } from './repo-facts.js';
import { snapshotResult } from './snapshot.js';
import { MAX_WAIVER_BYTES, parseWaivers, WAIVER_FILE } from './waivers.js';
import type { CollectOptions } from './collect-gitlab.js';

const MARKERS = ['project.json', 'results', 'repo'];
const MAX_DEPTH = 20;
/** A result.json is kilobytes; a larger file in results/ is not one. */
const MAX_RESULT_BYTES = 64 * 1024 * 1024;

async function entriesOf(dir: string): Promise<Array<{ name: string; type: RepoEntry['type'] }>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const entries = await Promise.all(
    names.map(async (name) => {
      const info = await lstat(join(dir, name)).catch(() => null);
      const type: RepoEntry['type'] = info?.isFile() ? 'blob' : info?.isDirectory() ? 'tree' : 'other';
      return { name, type };
    }),
  );
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Project folders under `root`, as paths relative to it with `/`. */
export async function findProjectDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string[], depth: number): Promise<void> => {
    const entries = await entriesOf(join(root, ...relative));
    if (relative.length > 0 && entries.some((entry) => MARKERS.includes(entry.name))) {
      found.push(relative.join('/'));
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const entry of entries) if (entry.type === 'tree') await walk([...relative, entry.name], depth + 1);
  };
  await walk([], 0);
  return found.sort();
}

interface ProjectMeta {
  name?: unknown;
  webUrl?: unknown;
  defaultBranch?: unknown;
  archived?: unknown;
  /** The API-measured facts (ApiFacts), e.g. exported by a job that has API access. */
  api?: unknown;
}

async function readMeta(dir: string, notes: string[]): Promise<ProjectMeta> {
  const text = await readFile(join(dir, 'project.json'), 'utf8').catch(() => null);
  if (text === null) return {};
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data as ProjectMeta;
  } catch {
    // reported below
  }
  notes.push('project.json is not a JSON object; ignored.');
  return {};
}

async function readResults(dir: string, rubric: Rubric, notes: string[], folder = 'results'): Promise<ResultSnapshot[]> {
  const results: ResultSnapshot[] = [];
  for (const entry of await entriesOf(join(dir, folder))) {
    if (entry.type !== 'blob' || !entry.name.endsWith('.json')) continue;
    const path = join(dir, folder, entry.name);
    const info = await lstat(path);
    if (info.size > MAX_RESULT_BYTES) {
      notes.push(`${folder}/${entry.name} is larger than a result.json can be; skipped.`);
      continue;
    }
    const snapshot = snapshotResult(await readFile(path, 'utf8'));
    if ('problem' in snapshot) notes.push(`${folder}/${entry.name} ${snapshot.problem}; skipped.`);
    else results.push(snapshot);
  }
  results.sort((a, b) => (a.generatedAt < b.generatedAt ? 1 : a.generatedAt > b.generatedAt ? -1 : 0));
  return results.slice(0, rubric.trend.results);
}

export async function collectProjectDir(root: string, path: string, rubric: Rubric): Promise<ProjectEvidence> {
  const dir = join(root, ...path.split('/'));
  const notes: string[] = [];
  const meta = await readMeta(dir, notes);
  const base = {
    path,
    name: typeof meta.name === 'string' ? meta.name : (path.split('/').at(-1) ?? path),
    webUrl: typeof meta.webUrl === 'string' ? meta.webUrl : null,
    defaultBranch: typeof meta.defaultBranch === 'string' ? meta.defaultBranch : null,
  };
  if (meta.archived === true) return { ...base, state: 'archived', failure: null, results: [], repo: null, notes: ['archived: skipped'] };
  const repoDir = join(dir, 'repo');
  const hasRepo = (await lstat(repoDir).catch(() => null))?.isDirectory() === true;
  try {
    const results = await readResults(dir, rubric, notes);
    const repo = hasRepo
      ? await readRepoFacts({
          list: async (sub) => entriesOf(join(repoDir, ...sub.split('/').filter(Boolean))),
          size: async (file) => {
            const info = await lstat(join(repoDir, ...file.split('/'))).catch(() => null);
            return info?.isFile() ? info.size : null;
          },
        })
      : null;
    if (!hasRepo) notes.push(meta.defaultBranch === null ? 'empty repository' : 'no repo/ checkout: file checks fail');
    const mergeRequestResults = await readResults(dir, rubric, notes, 'mr-results');
    const waiverPath = join(repoDir, WAIVER_FILE);
    const waiverInfo = hasRepo ? await lstat(waiverPath).catch(() => null) : null;
    const waivers = waiverInfo?.isFile() ? (waiverInfo.size > MAX_WAIVER_BYTES ? parseWaivers('x'.repeat(MAX_WAIVER_BYTES + 1)) : parseWaivers(await readFile(waiverPath, 'utf8'))) : null;
    const resultProblem = results.length === 0 ? (notes.find((note) => note.startsWith('results/')) ?? null) : null;
    const api = typeof meta.api === 'object' && meta.api !== null && !Array.isArray(meta.api) ? (meta.api as Partial<ApiFacts>) : null;
    return { ...base, state: 'active', failure: null, results, repo, notes, mergeRequestResults, waivers, resultProblem, ...(api ? { api: { protection: null, mergedBranches: null, releases: null, pipelines: null, environments: null, featureFlags: null, readmeUpdatedAt: null, links: null, ...api } } : {}) };
  } catch (error) {
    return { ...base, state: 'failed', failure: `${path}: ${(error as Error).message}`, results: [], repo: null, notes };
  }
}

export async function collectFromDir(root: string, rubric: Rubric, options: CollectOptions): Promise<ProjectEvidence[]> {
  const paths = await findProjectDirs(root);
  return mapWithConcurrency(paths, options.concurrency, (path) => collectProjectDir(root, path, rubric), options.onProgress);
}

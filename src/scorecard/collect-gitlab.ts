/**
 * Collecting a group's evidence through the GitLab port: every project of the group and its
 * subgroups (archived ones listed, not read), then per project the newest default-branch
 * pipelines' qgate `result.json` artifacts and a few repository facts. Projects are read with
 * bounded concurrency; the transport under the port waits out 429s (`Retry-After`) and retries
 * 5xx. A project that still fails is marked `failed` with GitLab's (redacted) answer, and the
 * others go on.
 *
 * Why pipelines of any status: a qgate job that fails a gate fails its pipeline, and that
 * pipeline's result.json is exactly the evidence a lead wants to see.
 */
import type { GitLabPort, GitLabProject } from '../gitlab/port.js';
import { mapWithConcurrency } from './concurrency.js';
import type { ProjectEvidence, ResultSnapshot, Rubric } from './model.js';
import { readRepoFacts, type RepoEntry } from './repo-facts.js';
import { snapshotResult } from './snapshot.js';
import { MAX_WAIVER_BYTES, parseWaivers, WAIVER_FILE } from './waivers.js';

export interface CollectOptions {
  concurrency: number;
  /** Called after each project, with how many are done. */
  onProgress?: (done: number, total: number) => void;
}

export async function listGroup(port: GitLabPort, group: string): Promise<GitLabProject[]> {
  const projects = await port.listGroupProjects(group, { includeArchived: true });
  // with_shared=false asks GitLab to leave out projects shared into the group; a group given by
  // path also drops any that still come back from outside its namespace.
  if (/^\d+$/.test(group)) return projects;
  const prefix = `${group.replace(/^\/+|\/+$/g, '')}/`.toLowerCase();
  return projects.filter((project) => project.pathWithNamespace.toLowerCase().startsWith(prefix));
}

/** Pipelines still running have no result yet; `skipped`/`manual` ones never ran the job. */
const FINISHED = new Set(['success', 'failed', 'canceled']);

async function collectResults(port: GitLabPort, project: GitLabProject, branch: string, rubric: Rubric, notes: string[]): Promise<ResultSnapshot[]> {
  const pipelines = (await port.listPipelines(project.id, { ref: branch }, { maxPages: 1 })).filter((pipeline) => FINISHED.has(pipeline.status)).slice(0, rubric.source.pipelines);
  const results: ResultSnapshot[] = [];
  for (const pipeline of pipelines) {
    if (results.length >= rubric.trend.results) break;
    const jobs = await port.listPipelineJobs(project.id, pipeline.id, { maxPages: 2 });
    // A retried job appears twice: the newest attempt (highest id) is the one that counts.
    const job = jobs.filter((candidate) => candidate.name === rubric.source.job && candidate.hasArtifacts).sort((a, b) => b.id - a.id)[0];
    if (!job) continue;
    let text: string | null;
    try {
      text = await port.downloadArtifactFileByJob(project.id, job.id, rubric.source.artifactPath);
    } catch (error) {
      // One artifact GitLab will not hand over (too large, 5xx) costs that result, not the project.
      notes.push(`pipeline ${pipeline.id}: ${rubric.source.artifactPath} could not be read: ${error instanceof Error ? error.message : String(error)}; skipped.`);
      continue;
    }
    if (text === null) continue;
    const snapshot = snapshotResult(text);
    if ('problem' in snapshot) notes.push(`pipeline ${pipeline.id}: ${rubric.source.artifactPath} ${snapshot.problem}; skipped.`);
    else results.push(snapshot);
  }
  return results.sort((a, b) => (a.generatedAt < b.generatedAt ? 1 : a.generatedAt > b.generatedAt ? -1 : 0));
}

function treeReader(port: GitLabPort, project: GitLabProject, branch: string) {
  return {
    list: async (dir: string): Promise<RepoEntry[]> => {
      const entries = await port.listRepositoryTree(project.id, { ref: branch, ...(dir ? { path: dir } : {}) }, { maxPages: 10 });
      return entries.map((entry) => ({ name: entry.path.split('/').at(-1) ?? entry.path, type: entry.type === 'commit' ? 'other' : entry.type }));
    },
    size: async (path: string): Promise<number | null> => (await port.getRepositoryFile(project.id, path, branch))?.size ?? null,
  };
}

function errorText(error: unknown): string {
  // GitLabRequestError messages are redacted by the transport; anything else is a plain message.
  return error instanceof Error ? error.message : String(error);
}

export async function collectProject(port: GitLabPort, project: GitLabProject, rubric: Rubric): Promise<ProjectEvidence> {
  const base = { path: project.pathWithNamespace, name: project.name, webUrl: project.webUrl || null, defaultBranch: project.defaultBranch };
  if (project.archived) return { ...base, state: 'archived', failure: null, results: [], repo: null, notes: ['archived: skipped'] };
  if (project.forked === true && rubric.projects.forks !== 'score') return { ...base, state: 'fork', failure: null, results: [], repo: null, notes: ['a fork: not scored (rubric projects.forks)'] };
  const branch = project.defaultBranch;
  if (branch === null) return { ...base, state: 'empty', failure: null, results: [], repo: null, notes: ['empty repository: not scored'] };
  const notes: string[] = [];
  let results: ResultSnapshot[] = [];
  let resultProblem: string | null = null;
  try {
    results = await collectResults(port, project, branch, rubric, notes);
    if (results.length === 0) resultProblem = notes.find((note) => note.startsWith('pipeline ')) ?? null;
  } catch (error) {
    resultProblem = `results not collected: ${errorText(error)}`;
  }
  let repo: ProjectEvidence['repo'] = null;
  let repoProblem: string | null = null;
  try {
    repo = await readRepoFacts(treeReader(port, project, branch));
  } catch (error) {
    repoProblem = `repository not read: ${errorText(error)}`;
  }
  if (resultProblem !== null && repoProblem !== null && results.length === 0 && resultProblem.startsWith('results not collected')) {
    return { ...base, state: 'failed', failure: resultProblem.replace('results not collected: ', ''), results: [], repo: null, notes };
  }
  let waivers: ProjectEvidence['waivers'] = null;
  if (repo !== null) {
    try {
      const file = await port.getRepositoryFile(project.id, WAIVER_FILE, branch);
      waivers = file === null ? null : parseWaivers(file.size > MAX_WAIVER_BYTES ? 'x'.repeat(MAX_WAIVER_BYTES + 1) : file.text);
    } catch (error) {
      notes.push(`${WAIVER_FILE} could not be read: ${errorText(error)}; no waiver honoured.`);
    }
  }
  return { ...base, state: 'active', failure: null, results, repo, notes, resultProblem, repoProblem, waivers };
}

export async function collectFromGitLab(port: GitLabPort, projects: readonly GitLabProject[], rubric: Rubric, options: CollectOptions): Promise<ProjectEvidence[]> {
  return mapWithConcurrency(projects, options.concurrency, (project) => collectProject(port, project, rubric), options.onProgress);
}

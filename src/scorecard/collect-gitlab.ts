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

export interface CollectOptions {
  concurrency: number;
  /** Called after each project, with how many are done. */
  onProgress?: (done: number, total: number) => void;
}

export async function listGroup(port: GitLabPort, group: string): Promise<GitLabProject[]> {
  return port.listGroupProjects(group, { includeArchived: true });
}

async function collectResults(port: GitLabPort, project: GitLabProject, branch: string, rubric: Rubric, notes: string[]): Promise<ResultSnapshot[]> {
  const pipelines = (await port.listPipelines(project.id, { ref: branch }, { maxPages: 1 })).slice(0, rubric.source.pipelines);
  const results: ResultSnapshot[] = [];
  for (const pipeline of pipelines) {
    if (results.length >= rubric.trend.results) break;
    const jobs = await port.listPipelineJobs(project.id, pipeline.id, { maxPages: 2 });
    // A retried job appears twice: the newest attempt (highest id) is the one that counts.
    const job = jobs.filter((candidate) => candidate.name === rubric.source.job && candidate.hasArtifacts).sort((a, b) => b.id - a.id)[0];
    if (!job) continue;
    const text = await port.downloadArtifactFileByJob(project.id, job.id, rubric.source.artifactPath);
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

export async function collectProject(port: GitLabPort, project: GitLabProject, rubric: Rubric): Promise<ProjectEvidence> {
  const base = { path: project.pathWithNamespace, name: project.name, webUrl: project.webUrl || null, defaultBranch: project.defaultBranch };
  if (project.archived) return { ...base, state: 'archived', failure: null, results: [], repo: null, notes: ['archived: skipped'] };
  const branch = project.defaultBranch;
  if (branch === null) return { ...base, state: 'active', failure: null, results: [], repo: null, notes: ['empty repository'] };
  const notes: string[] = [];
  try {
    const results = await collectResults(port, project, branch, rubric, notes);
    const repo = await readRepoFacts(treeReader(port, project, branch));
    return { ...base, state: 'active', failure: null, results, repo, notes };
  } catch (error) {
    // GitLabRequestError messages are redacted by the transport; anything else is a plain message.
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, state: 'failed', failure: message, results: [], repo: null, notes };
  }
}

export async function collectFromGitLab(port: GitLabPort, projects: readonly GitLabProject[], rubric: Rubric, options: CollectOptions): Promise<ProjectEvidence[]> {
  return mapWithConcurrency(projects, options.concurrency, (project) => collectProject(port, project, rubric), options.onProgress);
}

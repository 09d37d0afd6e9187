/**
 * Collecting a group through GitLab's GraphQL API in few requests (the default API mode):
 *
 *   1. the group walk: `group(fullPath).projects(includeSubgroups: true, first: 100)` — 100
 *      projects per request, with archived, fork and empty-repository state; projects shared into
 *      the group are not in `projects` (GitLab lists them under `sharedProjects`), and a project
 *      outside the group's namespace is dropped as well;
 *   2. per project one GraphQL query: finished default-branch pipelines with their jobs, merged
 *      MRs (source branch, head pipeline jobs), releases, environments with their last
 *      deployment, branch rules with approvals, the few repository folders and blobs the file
 *      checks read (README, CODEOWNERS, ADRs, `.qgate-scorecard.yml`);
 *   3. one artifact file: the `result.json` of the qgate job of the newest finished pipeline by
 *      `finishedAt` (not by id: a re-run old pipeline is not the latest), walking back only past
 *      pipelines without one;
 *   4. the feature-flag count and the README's last commit (REST; GraphQL has neither), each
 *      only when the rubric has a check that reads it; merged MRs' results only when the
 *      default branch does not already show the gate passing.
 *
 * Field names: https://docs.gitlab.com/api/graphql/reference/ (Group.projects, Project.pipelines
 * `scope: FINISHED`, Project.forkedFrom, Repository.empty, Project.branchRules, Environment.tier).
 */
import type { ScorecardApi } from '../gitlab/scorecard-api.js';
import type { ApiFacts, ProjectEvidence, RepoFacts, ResultSnapshot, Rubric } from './model.js';
import { readRepoFacts, type RepoEntry } from './repo-facts.js';
import { snapshotResult } from './snapshot.js';
import { MAX_WAIVER_BYTES, parseWaivers, WAIVER_FILE } from './waivers.js';

export interface WalkedProject {
  id: number;
  path: string;
  name: string;
  webUrl: string;
  archived: boolean;
  fork: boolean;
  empty: boolean;
  defaultBranch: string | null;
}

const WALK_QUERY = `query scorecardWalk($group: ID!, $after: String) {
  group(fullPath: $group) {
    projects(includeSubgroups: true, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id fullPath name webUrl archived forkedFrom { fullPath } repository { empty rootRef } }
    }
  }
}`;

const README_NAMES = ['README.md', 'README', 'README.rst', 'README.txt', 'README.adoc', 'readme.md', 'Readme.md', 'readme.rst'];

export const PROJECT_QUERY = `query scorecardProject($path: ID!, $ref: String!, $pipelines: Int!, $mrs: Int!, $blobs: [String!]!) {
  project(fullPath: $path) {
    pipelines(ref: $ref, scope: FINISHED, first: $pipelines) {
      nodes { id status createdAt finishedAt jobs(first: 100) { nodes { id name status artifacts { nodes { fileType } } } } }
    }
    mergeRequests(state: merged, first: $mrs, sort: MERGED_AT_DESC) {
      nodes { iid sourceBranch mergedAt headPipeline { id jobs(first: 100) { nodes { id name status artifacts { nodes { fileType } } } } } }
    }
    releases(first: 50, sort: RELEASED_AT_DESC) { nodes { tagName releasedAt } }
    environments(first: 50) { nodes { name tier lastDeployment(status: SUCCESS) { finishedAt } } }
    branchRules(first: 50) { nodes { name isDefault isProtected approvalRules { nodes { approvalsRequired } } } }
    repository {
      root: tree(ref: $ref, path: "") { blobs { nodes { name } } trees { nodes { name } } }
      docs: tree(ref: $ref, path: "docs") { blobs { nodes { name } } trees { nodes { name } } }
      doc: tree(ref: $ref, path: "doc") { blobs { nodes { name } } trees { nodes { name } } }
      gitlab: tree(ref: $ref, path: ".gitlab") { blobs { nodes { name } } trees { nodes { name } } }
      docsAdr: tree(ref: $ref, path: "docs/adr") { blobs { nodes { name } } trees { nodes { name } } }
      docAdr: tree(ref: $ref, path: "doc/adr") { blobs { nodes { name } } trees { nodes { name } } }
      blobs(ref: $ref, paths: $blobs) { nodes { path size rawTextBlob } }
    }
  }
}`;

/** PROJECT_QUERY for GitLab CE, whose schema has no BranchRule.approvalRules (the EE module adds it). */
export const PROJECT_QUERY_CE = PROJECT_QUERY.replace(' approvalRules { nodes { approvalsRequired } }', '');

/** The API clients of runs that met a CE schema: one failed query per run, not one per project. */
const communityEdition = new WeakSet<ScorecardApi>();

interface Nodes<T> {
  nodes: T[];
}
interface GqlJob {
  id: string;
  name: string;
  status: string;
  artifacts: Nodes<{ fileType: string }> | null;
}
interface GqlTree {
  blobs: Nodes<{ name: string }>;
  trees: Nodes<{ name: string }>;
}
interface GqlProject {
  pipelines: Nodes<{ id: string; status: string; createdAt: string; finishedAt: string | null; jobs: Nodes<GqlJob> | null }> | null;
  mergeRequests: Nodes<{ iid: string; sourceBranch: string; mergedAt: string | null; headPipeline: { id: string; jobs: Nodes<GqlJob> | null } | null }> | null;
  releases: Nodes<{ tagName: string; releasedAt: string | null }> | null;
  environments: Nodes<{ name: string; tier: string | null; lastDeployment: { finishedAt: string | null } | null }> | null;
  branchRules: Nodes<{ name: string; isDefault: boolean; isProtected: boolean; approvalRules?: Nodes<{ approvalsRequired: number | null }> | null }> | null;
  repository: {
    root: GqlTree | null;
    docs: GqlTree | null;
    doc: GqlTree | null;
    gitlab: GqlTree | null;
    docsAdr: GqlTree | null;
    docAdr: GqlTree | null;
    blobs: Nodes<{ path: string; size: string | number | null; rawTextBlob: string | null }> | null;
  } | null;
}

/** `gid://gitlab/Ci::Build/123` → 123. */
export function numericId(gid: string): number {
  const match = /(\d+)$/.exec(gid);
  return match ? Number(match[1]) : Number.NaN;
}

export async function walkGroup(api: ScorecardApi, group: string): Promise<WalkedProject[]> {
  const found: WalkedProject[] = [];
  const prefix = `${group.replace(/^\/+|\/+$/g, '')}/`.toLowerCase();
  let after: string | null = null;
  // A cursor seen before means the server is going round in circles (A → B → A): stop there.
  const seen = new Set<string>();
  for (let page = 0; page < 10_000; page += 1) {
    type Walk = { group: { projects: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string; fullPath: string; name: string; webUrl: string; archived: boolean; forkedFrom: { fullPath: string } | null; repository: { empty: boolean; rootRef: string | null } | null }> } } | null };
    const data: Walk = await api.graphql<Walk>(WALK_QUERY, { group, after }, 'group-walk');
    if (data.group === null) throw new Error(`group "${group}" not found, or the token cannot see it`);
    for (const node of data.group.projects.nodes) {
      // Projects shared into the group are another team's: only the group's own namespace counts.
      if (!node.fullPath.toLowerCase().startsWith(prefix)) continue;
      const empty = node.repository === null || node.repository.empty || node.repository.rootRef === null;
      found.push({ id: numericId(node.id), path: node.fullPath, name: node.name, webUrl: node.webUrl, archived: node.archived, fork: node.forkedFrom !== null && node.forkedFrom !== undefined, empty, defaultBranch: node.repository?.rootRef ?? null });
    }
    const info = data.group.projects.pageInfo;
    if (!info.hasNextPage || info.endCursor === null || seen.has(info.endCursor)) break;
    seen.add(info.endCursor);
    after = info.endCursor;
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Shard `index` (1-based, as `CI_NODE_INDEX`) of `total`: every `total`-th project of the path-ordered list. */
export function shardOf<T>(items: readonly T[], index: number, total: number): T[] {
  return items.filter((_, position) => position % total === index - 1);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function newestJob(jobs: Nodes<GqlJob> | null, name: string): GqlJob | undefined {
  // A retried job appears twice: the newest attempt (highest id) counts; only one with an archive has a file.
  return (jobs?.nodes ?? [])
    .filter((job) => job.name === name && (job.artifacts?.nodes ?? []).some((artifact) => artifact.fileType.toUpperCase() === 'ARCHIVE'))
    .sort((a, b) => numericId(b.id) - numericId(a.id))[0];
}

async function readArtifact(api: ScorecardApi, projectId: number, jobId: number, rubric: Rubric): Promise<ResultSnapshot | { problem: string } | null> {
  const path = rubric.source.artifactPath.split('/').map(encodeURIComponent).join('/');
  const answer = await api.get(`/projects/${projectId}/jobs/${jobId}/artifacts/${path}`, 'file');
  if (answer === null) return null;
  const body = answer.body;
  const text = typeof body === 'string' ? body : body instanceof Blob ? await body.text() : JSON.stringify(body);
  return snapshotResult(text);
}

function entries(tree: GqlTree | null): RepoEntry[] {
  if (tree === null) return [];
  return [...tree.blobs.nodes.map((blob) => ({ name: blob.name, type: 'blob' as const })), ...tree.trees.nodes.map((node) => ({ name: node.name, type: 'tree' as const }))];
}

async function repoFacts(repository: NonNullable<GqlProject['repository']>): Promise<RepoFacts> {
  const trees = new Map<string, GqlTree | null>([
    ['', repository.root],
    ['docs', repository.docs],
    ['doc', repository.doc],
    ['.gitlab', repository.gitlab],
    ['docs/adr', repository.docsAdr],
    ['doc/adr', repository.docAdr],
  ]);
  const sizes = new Map((repository.blobs?.nodes ?? []).map((blob) => [blob.path, blob.size === null ? (blob.rawTextBlob ?? '').length : Number(blob.size)]));
  return readRepoFacts({ list: async (dir) => entries(trees.get(dir) ?? null), size: async (path) => sizes.get(path) ?? null });
}

function apiFacts(project: GqlProject, branch: string): ApiFacts {
  const rules = project.branchRules?.nodes ?? null;
  const rule = rules?.find((candidate) => candidate.isDefault) ?? rules?.find((candidate) => candidate.name === branch);
  return {
    protection:
      rules === null
        ? null
        : {
            protected: rule?.isProtected === true,
            // Absent on GitLab CE, whose BranchRule has no approvalRules (PROJECT_QUERY_CE): unknown, not 0.
            approvals: rule !== undefined && rule.approvalRules === undefined ? null : Math.max(0, ...(rule?.approvalRules?.nodes ?? []).map((approval) => approval.approvalsRequired ?? 0)),
          },
    mergedBranches: project.mergeRequests === null ? null : project.mergeRequests.nodes.map((mr) => mr.sourceBranch),
    releases: project.releases === null ? null : project.releases.nodes.map((release) => release.releasedAt).filter((at): at is string => at !== null),
    pipelines:
      project.pipelines === null
        ? null
        : project.pipelines.nodes
            .filter((pipeline) => pipeline.finishedAt !== null)
            .map((pipeline) => ({ status: pipeline.status.toLowerCase(), finishedAt: pipeline.finishedAt as string }))
            .sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt)),
    environments: project.environments === null ? null : project.environments.nodes.map((environment) => ({ name: environment.name, tier: (environment.tier ?? 'other').toLowerCase(), lastDeployedAt: environment.lastDeployment?.finishedAt ?? null })),
    featureFlags: null,
    readmeUpdatedAt: null,
    links: null,
  };
}

export async function collectProjectGraphql(api: ScorecardApi, project: WalkedProject, rubric: Rubric): Promise<ProjectEvidence> {
  const base = { path: project.path, name: project.name, webUrl: project.webUrl || null, defaultBranch: project.defaultBranch };
  if (project.archived) return { ...base, state: 'archived', failure: null, results: [], repo: null, notes: ['archived: skipped'] };
  if (project.fork && rubric.projects.forks !== 'score') return { ...base, state: 'fork', failure: null, results: [], repo: null, notes: ['a fork: not scored (rubric projects.forks)'] };
  if (project.empty || project.defaultBranch === null) return { ...base, state: 'empty', failure: null, results: [], repo: null, notes: ['empty repository: not scored'] };
  const branch = project.defaultBranch;
  const types = new Set(rubric.levels.flatMap((level) => level.checks.map((check) => check.type)));
  let data: GqlProject | null;
  const variables = { path: project.path, ref: branch, pipelines: rubric.source.pipelines, mrs: rubric.source.mergeRequests, blobs: [WAIVER_FILE, ...README_NAMES, 'CODEOWNERS'] };
  try {
    data = (await api.graphql<{ project: GqlProject | null }>(communityEdition.has(api) ? PROJECT_QUERY_CE : PROJECT_QUERY, variables)).project;
  } catch (error) {
    if (!communityEdition.has(api) && /approvalRules/.test(errorText(error)) && /exist/i.test(errorText(error))) {
      // GitLab CE validates the query against a schema without BranchRule.approvalRules (EE only):
      // ask once more without it, and for every later project of this run.
      communityEdition.add(api);
      try {
        data = (await api.graphql<{ project: GqlProject | null }>(PROJECT_QUERY_CE, variables)).project;
      } catch (retry) {
        return { ...base, state: 'failed', failure: errorText(retry), results: [], repo: null, notes: [] };
      }
    } else {
      return { ...base, state: 'failed', failure: errorText(error), results: [], repo: null, notes: [] };
    }
  }
  if (data === null) return { ...base, state: 'failed', failure: `GitLab did not answer for ${project.path}`, results: [], repo: null, notes: [] };
  const notes: string[] = [];

  // Results: the newest finished pipelines by finishedAt; artifacts read until `trend.results` are found.
  const pipelines = [...(data.pipelines?.nodes ?? [])].filter((pipeline) => pipeline.finishedAt !== null).sort((a, b) => Date.parse(b.finishedAt as string) - Date.parse(a.finishedAt as string));
  const results: ResultSnapshot[] = [];
  let resultProblem: string | null = null;
  // The trend comes from earlier scorecards (--previous), so one result is enough; a docs-only push
  // skips the gate, so up to two older ones are read for a gate that measured something.
  const measured = (): boolean => results.some((result) => result.newCodeGate?.status === 'pass' || result.newCodeGate?.status === 'fail');
  let reads = 0;
  for (const pipeline of pipelines) {
    if (results.length >= rubric.trend.results && (measured() || !types.has('new_code_gate'))) break;
    if (reads >= rubric.trend.results + 2) break;
    const job = newestJob(pipeline.jobs, rubric.source.job);
    if (!job) continue;
    reads += 1;
    try {
      const snapshot = await readArtifact(api, project.id, numericId(job.id), rubric);
      if (snapshot === null) continue;
      if ('problem' in snapshot) notes.push(`pipeline ${numericId(pipeline.id)}: ${rubric.source.artifactPath} ${snapshot.problem}; skipped.`);
      else results.push(snapshot);
    } catch (error) {
      notes.push(`pipeline ${numericId(pipeline.id)}: ${rubric.source.artifactPath} could not be read: ${errorText(error)}; skipped.`);
    }
  }
  if (results.length === 0) resultProblem = notes.find((note) => note.startsWith('pipeline ')) ?? null;

  // Merged MRs' results, only when the default branch does not show the gate passing already.
  const mergeRequestResults: ResultSnapshot[] = [];
  const gatePassed = results.some((result) => result.newCodeGate?.status === 'pass');
  if (types.has('new_code_gate') && !gatePassed) {
    for (const mr of (data.mergeRequests?.nodes ?? []).slice(0, MR_RESULTS)) {
      const job = mr.headPipeline ? newestJob(mr.headPipeline.jobs, rubric.source.job) : undefined;
      if (!job) continue;
      const snapshot = await readArtifact(api, project.id, numericId(job.id), rubric).catch(() => null);
      if (snapshot !== null && !('problem' in snapshot)) mergeRequestResults.push(snapshot);
    }
  }

  let repo: RepoFacts | null = null;
  let repoProblem: string | null = null;
  if (data.repository === null) repoProblem = 'repository not read: GitLab gave no repository';
  else repo = await repoFacts(data.repository);
  const waiverBlob = data.repository?.blobs?.nodes.find((blob) => blob.path === WAIVER_FILE) ?? null;
  const waivers = waiverBlob === null ? null : parseWaivers(Number(waiverBlob.size ?? 0) > MAX_WAIVER_BYTES ? 'x'.repeat(MAX_WAIVER_BYTES + 1) : (waiverBlob.rawTextBlob ?? ''));

  const api_ = apiFacts(data, branch);
  api_.links = waivers?.links ?? null;
  if (types.has('feature_flags')) {
    try {
      const answer = await api.get(`/projects/${project.id}/feature_flags?per_page=100`, 'json');
      const total = Number(answer?.headers['x-total'] ?? Number.NaN);
      api_.featureFlags = answer === null ? 0 : Number.isFinite(total) ? total : Array.isArray(answer.body) ? answer.body.length : null;
    } catch (error) {
      notes.push(`feature flags not read: ${errorText(error)}`);
    }
  }
  if (types.has('readme_fresh') && repo?.readme) {
    try {
      const answer = await api.get(`/projects/${project.id}/repository/commits?ref_name=${encodeURIComponent(branch)}&path=${encodeURIComponent(repo.readme.path)}&per_page=1`, 'json');
      const first = Array.isArray(answer?.body) ? (answer.body[0] as { committed_date?: unknown } | undefined) : undefined;
      api_.readmeUpdatedAt = typeof first?.committed_date === 'string' ? new Date(first.committed_date).toISOString() : null;
    } catch (error) {
      notes.push(`README history not read: ${errorText(error)}`);
    }
  }
  results.sort((a, b) => (a.generatedAt < b.generatedAt ? 1 : a.generatedAt > b.generatedAt ? -1 : 0));
  return { ...base, state: 'active', failure: null, results, repo, notes, resultProblem, repoProblem, waivers, mergeRequestResults, api: api_ };
}

/** Merged MRs whose result.json is read when the default branch does not show the gate passing (budget: ≤ 5 requests per project). */
const MR_RESULTS = 2;

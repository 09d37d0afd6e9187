/**
 * The loopback fake's GraphQL endpoint (`POST /api/graphql`) and the two REST endpoints only the
 * scorecard reads (feature flags, commits by path). The schema is the subset of GitLab's
 * (https://docs.gitlab.com/api/graphql/reference/) the scorecard queries, with GitLab's names,
 * argument names and enum values, executed by graphql-js, so a query naming a field GitLab does
 * not have fails here as it would there. Connections take `first`/`after` with opaque cursors;
 * `Group.projects` leaves out projects shared into the group, as GitLab does.
 */
import type { ServerResponse } from 'node:http';
import { buildSchema, graphql } from 'graphql';
import type { FakeGitLabState, FakeJob, FakePipeline, FakeProject, RecordedRequest } from './fake-gitlab.js';

const SCHEMA_TEXT = `
  type Query { group(fullPath: ID!): Group  project(fullPath: ID!): Project }
  type PageInfo { hasNextPage: Boolean!  endCursor: String }
  type Group { fullPath: ID!  projects(includeSubgroups: Boolean, first: Int, after: String): ProjectConnection! }
  type ProjectConnection { nodes: [Project!]!  pageInfo: PageInfo! }
  type Project {
    id: ID!  fullPath: ID!  name: String!  webUrl: String  archived: Boolean
    forkedFrom: Project
    repository: Repository
    pipelines(ref: String, scope: PipelineScopeEnum, first: Int): PipelineConnection
    mergeRequests(state: MergeRequestState, first: Int, sort: MergeRequestSort): MergeRequestConnection
    releases(first: Int, sort: ReleaseSort): ReleaseConnection
    environments(first: Int): EnvironmentConnection
    branchRules(first: Int): BranchRuleConnection
  }
  enum PipelineScopeEnum { RUNNING PENDING FINISHED BRANCHES TAGS }
  enum MergeRequestState { merged opened closed locked all }
  enum MergeRequestSort { MERGED_AT_DESC MERGED_AT_ASC CREATED_DESC }
  enum ReleaseSort { RELEASED_AT_DESC RELEASED_AT_ASC CREATED_DESC }
  enum DeploymentStatus { CREATED RUNNING SUCCESS FAILED CANCELED }
  enum DeploymentTier { PRODUCTION STAGING TESTING DEVELOPMENT OTHER }
  enum PipelineStatusEnum { SUCCESS FAILED CANCELED RUNNING PENDING SKIPPED MANUAL }
  enum CiJobStatus { SUCCESS FAILED CANCELED RUNNING PENDING SKIPPED MANUAL }
  enum JobArtifactFileType { ARCHIVE TRACE METADATA }
  type Repository { empty: Boolean!  rootRef: String  tree(ref: String, path: String): Tree  blobs(ref: String, paths: [String!]!): RepositoryBlobConnection }
  type Tree { blobs: BlobConnection!  trees: TreeEntryConnection! }
  type BlobConnection { nodes: [Blob!]! }
  type Blob { name: String!  path: String! }
  type TreeEntryConnection { nodes: [TreeEntry!]! }
  type TreeEntry { name: String!  path: String! }
  type RepositoryBlobConnection { nodes: [RepositoryBlob!]! }
  type RepositoryBlob { path: String!  size: BigInt  rawTextBlob: String }
  scalar BigInt
  type PipelineConnection { nodes: [Pipeline!]! }
  type Pipeline { id: ID!  status: PipelineStatusEnum!  createdAt: String!  finishedAt: String  jobs(first: Int): CiJobConnection }
  type CiJobConnection { nodes: [CiJob!]! }
  type CiJob { id: ID!  name: String  status: CiJobStatus  artifacts: CiJobArtifactConnection }
  type CiJobArtifactConnection { nodes: [CiJobArtifact!]! }
  type CiJobArtifact { fileType: JobArtifactFileType }
  type MergeRequestConnection { nodes: [MergeRequest!]! }
  type MergeRequest { iid: String!  sourceBranch: String!  mergedAt: String  headPipeline: Pipeline }
  type ReleaseConnection { nodes: [Release!]! }
  type Release { tagName: String  releasedAt: String }
  type EnvironmentConnection { nodes: [Environment!]! }
  type Environment { name: String!  tier: DeploymentTier  lastDeployment(status: DeploymentStatus!): Deployment }
  type Deployment { finishedAt: String }
  type BranchRuleConnection { nodes: [BranchRule!]! }
  type BranchRule { name: String!  isDefault: Boolean!  isProtected: Boolean!  approvalRules: ApprovalRuleConnection }
  type ApprovalRuleConnection { nodes: [ApprovalRule!]! }
  type ApprovalRule { approvalsRequired: Int }
`;
const SCHEMA = buildSchema(SCHEMA_TEXT);
/** GitLab CE: the EE module's fields are not in its schema (ee/app/graphql/ee/types/projects/branch_rule_type.rb adds approvalRules). */
const SCHEMA_CE = buildSchema(SCHEMA_TEXT.replace('  approvalRules: ApprovalRuleConnection', ''));

const PAGE_CAP = 100;

function finishedAt(pipeline: FakePipeline): string {
  return pipeline.finishedAt ?? new Date(Date.parse(pipeline.createdAt) + 600_000).toISOString();
}

function jobNode(job: FakeJob): unknown {
  return {
    id: `gid://gitlab/Ci::Build/${job.id}`,
    name: job.name,
    status: job.status.toUpperCase(),
    artifacts: { nodes: job.artifacts ? [{ fileType: 'ARCHIVE' }, { fileType: 'TRACE' }] : [{ fileType: 'TRACE' }] },
  };
}

function pipelineNode(pipeline: FakePipeline): unknown {
  return {
    id: `gid://gitlab/Ci::Pipeline/${pipeline.id}`,
    status: pipeline.status.toUpperCase(),
    createdAt: pipeline.createdAt,
    finishedAt: ['success', 'failed', 'canceled'].includes(pipeline.status) ? finishedAt(pipeline) : null,
    jobs: ({ first }: { first?: number }) => ({ nodes: pipeline.jobs.slice(0, Math.min(first ?? PAGE_CAP, PAGE_CAP)).map(jobNode) }),
  };
}

function treeOf(project: FakeProject, path: string): unknown {
  const blobs = new Map<string, string>();
  const trees = new Map<string, string>();
  for (const file of project.files.keys()) {
    if (path !== '' && !file.startsWith(`${path}/`)) continue;
    const rest = path === '' ? file : file.slice(path.length + 1);
    const [first, ...more] = rest.split('/');
    if (first === undefined) continue;
    const full = path === '' ? first : `${path}/${first}`;
    if (more.length === 0) blobs.set(first, full);
    else trees.set(first, full);
  }
  if (blobs.size === 0 && trees.size === 0 && path !== '') return null;
  const sorted = (map: Map<string, string>) => [...map].sort(([a], [b]) => a.localeCompare(b)).map(([name, full]) => ({ name, path: full }));
  return { blobs: { nodes: sorted(blobs) }, trees: { nodes: sorted(trees) } };
}

function projectNode(state: FakeGitLabState, project: FakeProject, baseUrl: string): unknown {
  const empty = project.defaultBranch === null;
  return {
    id: `gid://gitlab/Project/${project.id}`,
    fullPath: project.pathWithNamespace,
    name: project.name,
    webUrl: `${baseUrl}/${project.pathWithNamespace}`,
    archived: project.archived,
    forkedFrom: () => {
      if (project.forkedFrom === undefined) return null;
      const upstream = state.projects.find((candidate) => candidate.pathWithNamespace === project.forkedFrom);
      return upstream ? projectNode(state, upstream, baseUrl) : { id: 'gid://gitlab/Project/0', fullPath: project.forkedFrom, name: 'upstream' };
    },
    repository: {
      empty,
      rootRef: project.defaultBranch,
      tree: ({ path }: { path?: string }) => (empty ? null : treeOf(project, path ?? '')),
      blobs: ({ paths }: { paths: string[] }) => ({
        nodes: paths.filter((path) => project.files.has(path)).map((path) => {
          const text = project.files.get(path) as string;
          return { path, size: Buffer.byteLength(text), rawTextBlob: text };
        }),
      }),
    },
    pipelines: ({ ref, scope, first }: { ref?: string; scope?: string; first?: number }) => ({
      nodes: project.pipelines
        .filter((pipeline) => (ref === undefined || pipeline.ref === ref) && (scope !== 'FINISHED' || ['success', 'failed', 'canceled'].includes(pipeline.status)))
        .sort((a, b) => b.id - a.id)
        .slice(0, Math.min(first ?? PAGE_CAP, PAGE_CAP))
        .map(pipelineNode),
    }),
    mergeRequests: ({ state: wanted, first }: { state?: string; first?: number }) => ({
      nodes: project.mergeRequests
        .filter((mr) => wanted === undefined || wanted === 'all' || mr.state === wanted)
        .sort((a, b) => (b.mergedAt ?? '').localeCompare(a.mergedAt ?? '') || b.iid - a.iid)
        .slice(0, Math.min(first ?? PAGE_CAP, PAGE_CAP))
        .map((mr) => {
          const head = project.pipelines.find((pipeline) => pipeline.id === mr.headPipelineId);
          return { iid: String(mr.iid), sourceBranch: mr.sourceBranch, mergedAt: mr.mergedAt ?? null, headPipeline: head ? pipelineNode(head) : null };
        }),
    }),
    releases: ({ first }: { first?: number }) => ({ nodes: [...(project.releases ?? [])].sort().reverse().slice(0, first ?? PAGE_CAP).map((at, index) => ({ tagName: `v${index}`, releasedAt: at })) }),
    environments: () => ({
      nodes: (project.environments ?? []).map((environment) => ({ name: environment.name, tier: environment.tier.toUpperCase(), lastDeployment: () => (environment.lastDeployedAt === null ? null : { finishedAt: environment.lastDeployedAt }) })),
    }),
    branchRules: () => ({
      nodes: empty
        ? []
        : [{ name: project.defaultBranch, isDefault: true, isProtected: project.protection?.protected ?? false, approvalRules: { nodes: project.protection && project.protection.approvals > 0 ? [{ approvalsRequired: project.protection.approvals }] : [] } }],
    }),
  };
}

export function answerGraphql(state: FakeGitLabState, request: RecordedRequest, res: ServerResponse, baseUrl: string): void {
  let body: { query?: unknown; variables?: Record<string, unknown> };
  try {
    body = JSON.parse(request.body) as typeof body;
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'Invalid JSON' }] }));
    return;
  }
  const root = {
    group: ({ fullPath }: { fullPath: string }) => {
      const group = state.groups.find((candidate) => candidate.fullPath === fullPath);
      if (!group) return null;
      return {
        fullPath,
        projects: ({ includeSubgroups, first, after }: { includeSubgroups?: boolean; first?: number; after?: string | null }) => {
          const inGroup = state.projects
            .filter((project) => project.namespace === fullPath || (includeSubgroups === true && project.namespace.startsWith(`${fullPath}/`)))
            .sort((a, b) => a.id - b.id);
          const start = after === undefined || after === null ? 0 : Number(Buffer.from(after, 'base64').toString('utf8'));
          const size = Math.min(first ?? PAGE_CAP, PAGE_CAP);
          const slice = inGroup.slice(start, start + size);
          const end = start + slice.length;
          return { nodes: slice.map((project) => projectNode(state, project, baseUrl)), pageInfo: { hasNextPage: end < inGroup.length, endCursor: slice.length === 0 ? null : Buffer.from(String(end)).toString('base64') } };
        },
      };
    },
    project: ({ fullPath }: { fullPath: string }) => {
      const project = state.projects.find((candidate) => candidate.pathWithNamespace === fullPath);
      return project ? projectNode(state, project, baseUrl) : null;
    },
  };
  void graphql({ schema: state.edition === 'ce' ? SCHEMA_CE : SCHEMA, source: String(body.query ?? ''), rootValue: root, variableValues: body.variables ?? {} }).then((result) => {
    // graphql-ruby's wording for an unknown field, as GitLab answers (200 with `errors`, no data).
    const errors = result.errors?.map((error) => ({ message: error.message.replace(/^Cannot query field "(\w+)" on type "(\w+)"\.$/, "Field '$1' doesn't exist on type '$2'") }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(errors === undefined ? result : { ...result, errors }));
  });
}

/** Feature flags and commits-by-path; true when it answered. */
export function answerScorecardRest(state: FakeGitLabState, request: RecordedRequest, res: ServerResponse): boolean {
  const match = /^\/api\/v4\/projects\/(\d+)\/(feature_flags|repository\/commits)$/.exec(request.path);
  if (!match || request.method !== 'GET') return false;
  const project = state.projects.find((candidate) => String(candidate.id) === match[1]);
  if (!project) return false;
  let body: unknown[];
  if (match[2] === 'feature_flags') {
    body = Array.from({ length: project.featureFlags ?? 0 }, (_, index) => ({ name: `flag-${index}`, active: true }));
    res.writeHead(200, { 'content-type': 'application/json', 'x-total': String(body.length) });
  } else {
    const path = request.query.get('path') ?? '';
    const date = project.fileDates?.get(path) ?? (project.files.has(path) ? '2026-10-01T10:00:00Z' : null);
    body = date === null ? [] : [{ id: 'c0ffee', committed_date: date }];
    res.writeHead(200, { 'content-type': 'application/json' });
  }
  res.end(JSON.stringify(body));
  return true;
}

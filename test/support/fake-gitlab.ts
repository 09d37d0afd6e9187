/**
 * A loopback HTTP server that answers like GitLab's REST API v4 for the endpoints qgate uses:
 * offset pagination with `x-page`/`x-per-page`/`x-total`/`x-total-pages`/`x-next-page`/
 * `x-prev-page` and `Link` headers, `{"message": ...}` error bodies, plain-text 429s
 * (`Retry later`), 401 for a wrong token, 403 when editing someone else's note, and artifact
 * downloads typed the way GitLab types them (raw-by-ref as text/plain, by job from the extension).
 * Docs: https://docs.gitlab.com/api/rest/#pagination, /api/notes/, /api/merge_requests/,
 * /api/job_artifacts/, /api/pipelines/, /api/jobs/, /api/groups/, /api/repositories/,
 * /api/repository_files/.
 *
 * Tests seed `state`, inject `faults`, and read `requests`. Binds to 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerGraphql, answerScorecardRest } from './fake-gitlab-graphql.js';

export interface FakeNote {
  id: number;
  body: string;
  authorId: number;
  system: boolean;
  createdAt: string;
}

export interface FakeMergeRequest {
  iid: number;
  projectId: number;
  sourceBranch: string;
  targetBranch: string;
  state: 'opened' | 'merged' | 'closed';
  diffRefs: { baseSha: string; headSha: string; startSha: string } | null;
  /** `GET .../diffs` entries, in GitLab's snake_case shape. */
  diffs: Array<Record<string, unknown>>;
  notes: FakeNote[];
  mergedAt?: string;
  /** The MR's head pipeline, by id among the project's pipelines. */
  headPipelineId?: number;
}

export interface FakeJob {
  id: number;
  name: string;
  status: string;
  /** Files in the job's artifacts archive, by path inside it. */
  artifacts: Map<string, string> | null;
}

export interface FakePipeline {
  id: number;
  ref: string;
  sha: string;
  status: string;
  createdAt: string;
  /** Default: `createdAt` + 10 minutes. */
  finishedAt?: string;
  jobs: FakeJob[];
}

export interface FakeProject {
  id: number;
  pathWithNamespace: string;
  name: string;
  defaultBranch: string | null;
  archived: boolean;
  /** The namespace (group full path) the project lives in. */
  namespace: string;
  mergeRequests: FakeMergeRequest[];
  /** Newest last, as created. */
  pipelines: FakePipeline[];
  /** Repository files at the default branch: path → text. */
  files: Map<string, string>;
  /** Scorecard facts (fake-gitlab-graphql.ts): the upstream of a fork, releases, environments, protection, flags, file dates. */
  forkedFrom?: string;
  releases?: string[];
  environments?: Array<{ name: string; tier: string; lastDeployedAt: string | null }>;
  protection?: { protected: boolean; approvals: number };
  featureFlags?: number;
  /** path → ISO date of its last commit. */
  fileDates?: Map<string, string>;
}

export interface FakeGroup {
  id: number;
  fullPath: string;
}

export interface RecordedRequest {
  /** `Date.now()` when the request arrived. */
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Fault {
  /** Which requests it applies to. */
  match: (request: RecordedRequest) => boolean;
  /** Answers in its own way (see the fault helpers below); `status`, `headers` and `body` are then unused. */
  respond?: (request: RecordedRequest, res: ServerResponse, baseUrl: string) => void;
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** How many matching requests it answers; then it is spent. */
  times: number;
}

export interface FakeGitLabState {
  users: Map<string, { id: number; username: string }>;
  projects: FakeProject[];
  groups: FakeGroup[];
  nextId: number;
  /** `ce`: GitLab Community Edition's GraphQL schema, without the EE fields (BranchRule.approvalRules). */
  edition?: 'ee' | 'ce';
}

export interface FakeGitLab {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** What `CI_API_V4_URL` would be. */
  apiUrl: string;
  state: FakeGitLabState;
  requests: RecordedRequest[];
  faults: Fault[];
  /** Requests answered 429 by the `rateLimit` option. */
  readonly rateLimited: number;
  addProject(project: Partial<FakeProject> & { id: number; pathWithNamespace: string }): FakeProject;
  addMergeRequest(projectId: number, mr: Partial<FakeMergeRequest> & { iid: number }): FakeMergeRequest;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const BASE_TIME = Date.parse('2026-11-01T10:00:00Z');

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(status === 204 ? undefined : text);
}

function paginate(res: ServerResponse, request: RecordedRequest, baseUrl: string, items: unknown[], maxPerPage = 100): void {
  const perPage = Math.min(maxPerPage, Math.max(1, Number(request.query.get('per_page') ?? '20') || 20));
  const page = Math.max(1, Number(request.query.get('page') ?? '1') || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (target: number): string => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(target));
    query.set('per_page', String(perPage));
    return `${baseUrl}${request.path}?${query.toString()}`;
  };
  const links = [
    ...(page > 1 ? [`<${link(page - 1)}>; rel="prev"`] : []),
    ...(page < totalPages ? [`<${link(page + 1)}>; rel="next"`] : []),
    `<${link(1)}>; rel="first"`,
    `<${link(totalPages)}>; rel="last"`,
  ];
  send(res, 200, slice, {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    link: links.join(', '),
  });
}

function noteJson(note: FakeNote, users: FakeGitLabState['users']): Json {
  const user = [...users.values()].find((candidate) => candidate.id === note.authorId);
  return {
    id: note.id,
    type: null,
    body: note.body,
    author: { id: note.authorId, username: user?.username ?? `user${note.authorId}` },
    created_at: note.createdAt,
    updated_at: note.createdAt,
    system: note.system,
    noteable_type: 'MergeRequest',
  };
}

function mrJson(mr: FakeMergeRequest, project: FakeProject, baseUrl: string): Json {
  return {
    id: project.id * 1000 + mr.iid,
    iid: mr.iid,
    project_id: project.id,
    source_project_id: project.id,
    target_project_id: project.id,
    source_branch: mr.sourceBranch,
    target_branch: mr.targetBranch,
    state: mr.state,
    web_url: `${baseUrl}/${project.pathWithNamespace}/-/merge_requests/${mr.iid}`,
    diff_refs: mr.diffRefs ? { base_sha: mr.diffRefs.baseSha, head_sha: mr.diffRefs.headSha, start_sha: mr.diffRefs.startSha } : null,
  };
}

function projectJson(project: FakeProject, baseUrl: string): Json {
  return {
    id: project.id,
    name: project.name,
    path_with_namespace: project.pathWithNamespace,
    web_url: `${baseUrl}/${project.pathWithNamespace}`,
    default_branch: project.defaultBranch,
    archived: project.archived,
    namespace: { full_path: project.namespace },
  };
}

function jobJson(job: FakeJob, pipeline: FakePipeline): Json {
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    ref: pipeline.ref,
    pipeline: { id: pipeline.id, sha: pipeline.sha, ref: pipeline.ref, status: pipeline.status },
    finished_at: pipeline.createdAt,
    artifacts: job.artifacts ? [{ file_type: 'archive', filename: 'artifacts.zip', size: 1 }, { file_type: 'trace', filename: 'job.log', size: 1 }] : [{ file_type: 'trace', filename: 'job.log', size: 1 }],
    artifacts_file: job.artifacts ? { filename: 'artifacts.zip', size: 1 } : null,
  };
}

const NOT_FOUND = { message: '404 Not found' };

export async function startFakeGitLab(
  options: {
    tokens?: string[];
    users?: Array<{ token: string; id: number; username: string }>;
    /** Caps `per_page` on group project listings (GitLab's cap is 100), so a small group spans several pages. */
    groupProjectsPerPage?: number;
    /** GitLab.com-style rate limit: `RateLimit-*` headers on every answer, a 429 with `Retry-After` past `limit` per window. */
    rateLimit?: { limit: number; windowMs: number };
  } = {},
): Promise<FakeGitLab> {
  const state: FakeGitLabState = { users: new Map(), projects: [], groups: [], nextId: 1000 };
  for (const user of options.users ?? []) state.users.set(user.token, { id: user.id, username: user.username });
  for (const token of options.tokens ?? []) if (!state.users.has(token)) state.users.set(token, { id: 1, username: 'qgate-bot' });
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  let baseUrl = '';
  let windowStart = 0;
  let windowUsed = 0;
  let rateLimited = 0;

  const findProject = (ref: string): FakeProject | undefined => {
    const decoded = decodeURIComponent(ref);
    return state.projects.find((project) => String(project.id) === decoded || project.pathWithNamespace === decoded);
  };

  const handle = (request: RecordedRequest, res: ServerResponse): void => {
    const fault = faults.find((candidate) => candidate.times > 0 && candidate.match(request));
    if (fault) {
      fault.times -= 1;
      if (fault.respond) return fault.respond(request, res, baseUrl);
      res.writeHead(fault.status, { 'content-type': fault.body?.startsWith('{') ? 'application/json' : 'text/plain', ...(fault.headers ?? {}) });
      res.end(fault.body ?? '');
      return;
    }
    const token = request.headers['private-token'];
    const user = typeof token === 'string' ? state.users.get(token) : undefined;
    if (!user) return send(res, 401, { message: '401 Unauthorized' });

    // The path as GitLab routes it: encoded segments stay one segment (`acme%2Fapp`).
    const segments = request.path.replace(/^\/api\/v4\//, '').split('/');
    const method = request.method;
    const at = (index: number): string => segments[index] ?? '';

    if (method === 'GET' && request.path === '/api/v4/user') return send(res, 200, { id: user.id, username: user.username });
    if (method === 'POST' && request.path === '/api/graphql') return answerGraphql(state, request, res, baseUrl);
    const scorecardAnswer = answerScorecardRest(state, request, res);
    if (scorecardAnswer) return;

    if (at(0) === 'groups' && at(2) === 'projects' && method === 'GET') {
      const group = state.groups.find((candidate) => String(candidate.id) === decodeURIComponent(at(1)) || candidate.fullPath === decodeURIComponent(at(1)));
      if (!group) return send(res, 404, { message: '404 Group Not Found' });
      const withSubgroups = request.query.get('include_subgroups') === 'true';
      const archived = request.query.get('archived');
      const inGroup = state.projects.filter((project) =>
        (project.namespace === group.fullPath || (withSubgroups && project.namespace.startsWith(`${group.fullPath}/`))) &&
        (archived === null || String(project.archived) === archived),
      );
      return paginate(res, request, baseUrl, inGroup.map((project) => projectJson(project, baseUrl)), options.groupProjectsPerPage);
    }

    if (at(0) !== 'projects') return send(res, 404, { error: '404 Not Found' });
    const project = findProject(at(1));
    if (!project) return send(res, 404, { message: '404 Project Not Found' });
    const rest = segments.slice(2);

    // Merge requests and their notes and diffs.
    if (rest[0] === 'merge_requests') {
      if (rest.length === 1 && method === 'GET') {
        const source = request.query.get('source_branch');
        const stateFilter = request.query.get('state');
        const found = project.mergeRequests
          .filter((mr) => (source === null || mr.sourceBranch === source) && (stateFilter === null || stateFilter === 'all' || mr.state === stateFilter))
          .sort((a, b) => b.iid - a.iid);
        return paginate(res, request, baseUrl, found.map((mr) => mrJson(mr, project, baseUrl)));
      }
      const mr = project.mergeRequests.find((candidate) => String(candidate.iid) === rest[1]);
      if (!mr) return send(res, 404, { message: '404 Not found' });
      if (rest.length === 2 && method === 'GET') return send(res, 200, mrJson(mr, project, baseUrl));
      if (rest[2] === 'diffs' && method === 'GET') return paginate(res, request, baseUrl, mr.diffs);
      if (rest[2] === 'notes') {
        if (rest.length === 3 && method === 'GET') {
          const sorted = [...mr.notes].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
          if (request.query.get('sort') !== 'asc') sorted.reverse();
          return paginate(res, request, baseUrl, sorted.map((note) => noteJson(note, state.users)));
        }
        if (rest.length === 3 && method === 'POST') {
          const body = parseBody(request);
          if (typeof body.body !== 'string' || body.body === '') return send(res, 400, { message: 'body is missing' });
          if (body.body.length > 1_000_000) return send(res, 400, { message: { note: ['is too long (maximum is 1000000 characters)'] } });
          const note: FakeNote = { id: (state.nextId += 1), body: body.body, authorId: user.id, system: false, createdAt: new Date(BASE_TIME + state.nextId * 1000).toISOString() };
          mr.notes.push(note);
          return send(res, 201, noteJson(note, state.users));
        }
        const note = mr.notes.find((candidate) => String(candidate.id) === rest[3]);
        if (!note) return send(res, 404, { message: '404 Note Not Found' });
        if (method === 'PUT') {
          if (note.authorId !== user.id) return send(res, 403, { message: '403 Forbidden' });
          const body = parseBody(request);
          if (typeof body.body !== 'string') return send(res, 400, { message: 'body is missing' });
          if (body.body.length > 1_000_000) return send(res, 400, { message: { note: ['is too long (maximum is 1000000 characters)'] } });
          note.body = body.body;
          return send(res, 200, noteJson(note, state.users));
        }
        if (method === 'DELETE') {
          if (note.authorId !== user.id) return send(res, 403, { message: '403 Forbidden' });
          mr.notes.splice(mr.notes.indexOf(note), 1);
          return send(res, 204, '');
        }
        if (method === 'GET') return send(res, 200, noteJson(note, state.users));
      }
      return send(res, 404, { error: '404 Not Found' });
    }

    // Artifacts: by ref (latest successful pipeline of the ref only) and by job id.
    if (rest[0] === 'jobs' && rest[1] === 'artifacts' && rest[3] === 'raw' && method === 'GET') {
      const ref = decodeURIComponent(rest[2] ?? '');
      const path = decodeURIComponent(rest.slice(4).join('/'));
      const jobName = request.query.get('job');
      const latest = project.pipelines.filter((pipeline) => pipeline.ref === ref && pipeline.status === 'success').at(-1);
      const job = latest?.jobs.find((candidate) => candidate.name === jobName);
      const text = job?.artifacts?.get(path);
      if (text === undefined) return send(res, 404, NOT_FOUND);
      // GitLab sniffs the raw file's type: JSON comes back as text/plain.
      return send(res, 200, text);
    }
    if (rest[0] === 'jobs' && rest[2] === 'artifacts' && method === 'GET') {
      const path = decodeURIComponent(rest.slice(3).join('/'));
      const job = project.pipelines.flatMap((pipeline) => pipeline.jobs).find((candidate) => String(candidate.id) === rest[1]);
      const text = job?.artifacts?.get(path);
      if (text === undefined) return send(res, 404, NOT_FOUND);
      res.writeHead(200, { 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
      res.end(text);
      return;
    }

    if (rest[0] === 'pipelines' && method === 'GET') {
      if (rest.length === 1) {
        const ref = request.query.get('ref');
        const status = request.query.get('status');
        const found = project.pipelines.filter((pipeline) => (ref === null || pipeline.ref === ref) && (status === null || pipeline.status === status)).sort((a, b) => b.id - a.id);
        return paginate(res, request, baseUrl, found.map((pipeline) => ({ id: pipeline.id, sha: pipeline.sha, ref: pipeline.ref, status: pipeline.status, created_at: pipeline.createdAt, web_url: `${baseUrl}/${project.pathWithNamespace}/-/pipelines/${pipeline.id}` })));
      }
      const pipeline = project.pipelines.find((candidate) => String(candidate.id) === rest[1]);
      if (!pipeline) return send(res, 404, { message: '404 Not found' });
      if (rest[2] === 'jobs') return paginate(res, request, baseUrl, pipeline.jobs.map((job) => jobJson(job, pipeline)));
    }

    if (rest[0] === 'repository' && rest[1] === 'tree' && method === 'GET') {
      if (project.defaultBranch === null) return send(res, 404, { message: '404 Tree Not Found' });
      const base = request.query.get('path') ?? '';
      const recursive = request.query.get('recursive') === 'true';
      const entries = new Map<string, 'blob' | 'tree'>();
      for (const path of project.files.keys()) {
        if (base !== '' && !path.startsWith(`${base}/`)) continue;
        const relative = base === '' ? path : path.slice(base.length + 1);
        const parts = relative.split('/');
        for (let depth = 1; depth <= parts.length; depth += 1) {
          if (!recursive && depth > 1) break;
          const entry = [base, ...parts.slice(0, depth)].filter(Boolean).join('/');
          entries.set(entry, depth === parts.length ? 'blob' : 'tree');
        }
      }
      const list = [...entries].sort(([a], [b]) => a.localeCompare(b)).map(([path, type]) => ({ id: 'x', name: path.split('/').at(-1), type, path, mode: type === 'tree' ? '040000' : '100644' }));
      return paginate(res, request, baseUrl, list);
    }
    if (rest[0] === 'repository' && rest[1] === 'files' && method === 'GET') {
      if (!request.query.get('ref')) return send(res, 400, { error: 'ref is missing' });
      const path = decodeURIComponent(rest[2] ?? '');
      const text = project.files.get(path);
      if (text === undefined) return send(res, 404, { message: '404 File Not Found' });
      const content = Buffer.from(text, 'utf8');
      return send(res, 200, { file_name: path.split('/').at(-1), file_path: path, size: content.length, encoding: 'base64', content: content.toString('base64'), ref: request.query.get('ref') });
    }

    return send(res, 404, { error: '404 Not Found' });
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = { at: Date.now(), method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const limit = options.rateLimit;
      if (limit) {
        if (recorded.at >= windowStart + limit.windowMs) {
          windowStart = recorded.at;
          windowUsed = 0;
        }
        windowUsed += 1;
        const reset = Math.ceil((windowStart + limit.windowMs) / 1000);
        res.setHeader('ratelimit-limit', String(limit.limit));
        res.setHeader('ratelimit-remaining', String(Math.max(0, limit.limit - windowUsed)));
        res.setHeader('ratelimit-reset', String(reset));
        if (windowUsed > limit.limit) {
          rateLimited += 1;
          return send(res, 429, 'Retry later', { 'retry-after': String(Math.max(1, Math.ceil((windowStart + limit.windowMs - recorded.at) / 1000))) });
        }
      }
      try {
        handle(recorded, res);
      } catch (error) {
        send(res, 500, { message: `500 Internal Server Error (${(error as Error).message})` });
      }
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/v4`,
    state,
    requests,
    faults,
    get rateLimited() {
      return rateLimited;
    },
    addProject(init) {
      const namespace = init.namespace ?? init.pathWithNamespace.split('/').slice(0, -1).join('/');
      const project: FakeProject = {
        name: init.pathWithNamespace.split('/').at(-1) ?? 'project',
        defaultBranch: 'main',
        archived: false,
        mergeRequests: [],
        pipelines: [],
        files: new Map(),
        ...init,
        namespace,
      };
      state.projects.push(project);
      return project;
    },
    addMergeRequest(projectId, init) {
      const project = state.projects.find((candidate) => candidate.id === projectId);
      if (!project) throw new Error(`no project ${projectId}`);
      const mr: FakeMergeRequest = { projectId, sourceBranch: 'feature', targetBranch: 'main', state: 'opened', diffRefs: null, diffs: [], notes: [], ...init };
      project.mergeRequests.push(mr);
      return mr;
    },
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

function parseBody(request: RecordedRequest): Json {
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('json')) {
    try {
      return JSON.parse(request.body) as Json;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(request.body));
}

/*
 * Faults of a GitLab that misbehaves, or of something that is not GitLab, for `faults.push`.
 * Each answers every matching request (times: Infinity) unless told otherwise.
 */

/** A 200 HTML page, as an SSO proxy's sign-in page answers any API request. */
export function htmlPageFault(match: Fault['match'], bytes = 2_000): Fault {
  const page = `<!DOCTYPE html><html><head><title>Sign in · Example SSO</title></head><body><form action="/login">${'x'.repeat(Math.max(0, bytes - 120))}</form></body></html>`;
  return { match, status: 200, times: Infinity, respond: (_request, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  } };
}

/** A JSON answer of the wrong shape (200), e.g. `{}` or a list of id-less objects. */
export function jsonFault(match: Fault['match'], body: unknown, status = 200, headers: Record<string, string> = {}): Fault {
  return { match, status, times: Infinity, respond: (_request, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  } };
}

/**
 * A list whose `Link` header always offers a next page: `mode: 'advancing'` counts the page up
 * for ever (full pages of `item(n)`), `'repeating'` always points at page 2, `'cycle'` goes
 * 1 → 2 → 3 → 2 → 3 …, `'reordered'` points at page 2 for ever with its query parameters in
 * reverse order each time, `'no-per-page'` drops `per_page` from the link (which disables
 * gitbeaker's own page bound).
 */
export function endlessLinkFault(
  match: Fault['match'],
  item: (n: number) => unknown,
  mode: 'advancing' | 'repeating' | 'cycle' | 'reordered' | 'no-per-page' = 'advancing',
  perPage = 100,
): Fault {
  return { match, status: 200, times: Infinity, respond: (request, res, baseUrl) => {
    const page = Number(request.query.get('page') ?? '1') || 1;
    const next = mode === 'repeating' || mode === 'reordered' ? 2 : mode === 'cycle' ? (page === 2 ? 3 : 2) : page + 1;
    let query = new URLSearchParams(request.query);
    query.set('page', String(next));
    if (mode === 'no-per-page') query.delete('per_page');
    if (mode === 'reordered') query = new URLSearchParams([...query].reverse());
    const items = Array.from({ length: perPage }, (_, index) => item((page - 1) * perPage + index + 1));
    res.writeHead(200, { 'content-type': 'application/json', link: `<${baseUrl}${request.path}?${query.toString()}>; rel="next"`, 'x-next-page': String(next) });
    res.end(JSON.stringify(items));
  } };
}

/**
 * A body of `bytes` bytes (default 10 MB) with the given content type and status, streamed in
 * 64 KB chunks (no length declared, as a proxy streams), or with its `content-length` when
 * `declareLength`. `written` holds, per answer, the bytes handed to the socket: a client that
 * stops reading leaves it well short of `bytes`.
 */
export function hugeBodyFault(
  match: Fault['match'],
  bytes = 10 * 1024 * 1024,
  contentType = 'text/html',
  declareLength = false,
  status = 200,
): Fault & { written: number[] } {
  const written: number[] = [];
  return { match, status, times: Infinity, written, respond: (_request, res) => {
    const slot = written.push(0) - 1;
    res.writeHead(status, { 'content-type': contentType, ...(declareLength ? { 'content-length': String(bytes) } : {}) });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let left = bytes;
    const write = (): void => {
      while (left > 0) {
        const piece = chunk.subarray(0, Math.min(chunk.length, left));
        left -= piece.length;
        written[slot]! += piece.length;
        if (!res.write(piece)) {
          res.once('drain', write);
          return;
        }
      }
      res.end();
    };
    write();
  } };
}

/**
 * A JSON answer that arrives one byte every `everyMs` milliseconds (a drip), for ever or until
 * closed. `onDrip(bytes)` is told each byte sent, so a test can fire its fake timeout mid-body.
 */
export function dripFault(match: Fault['match'], everyMs = 50, onDrip: (bytes: number) => void = () => undefined): Fault {
  return { match, status: 200, times: Infinity, respond: (_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    let sent = 1;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(' ');
      sent += 1;
      onDrip(sent);
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  } };
}

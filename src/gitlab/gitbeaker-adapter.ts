/**
 * The one module that imports @gitbeaker: GitLab's REST API behind `GitLabPort`.
 * gitbeaker builds the endpoints and follows the pagination; `transport.ts` sends each request
 * (timeouts, retries honouring `Retry-After`, the time budget).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequesterFn } from '@gitbeaker/requester-utils';
import { Gitlab } from '@gitbeaker/rest';
import type {
  GitLabJob,
  GitLabMergeRequest,
  GitLabMergeRequestDiff,
  GitLabNote,
  GitLabPipeline,
  GitLabPort,
  GitLabProject,
  GitLabTreeEntry,
  ListOptions,
} from './port.js';
import { shapeProblem, type ShapeName } from './response-shapes.js';
import {
  createRedactor,
  GitLabRequestError,
  refuseToken,
  sendWithPolicy,
  tokenProblem,
  type CircuitBreaker,
  type TransportClock,
  type TransportPolicy,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

export interface GitLabClientOptions {
  /** `CI_API_V4_URL`, e.g. `https://gitlab.example.com/api/v4` (self-managed under a path works too). */
  apiUrl: string;
  token: string;
  policy: TransportPolicy;
  clock: TransportClock;
  /** Shared between clients of one run, so an unreachable GitLab is waited for once. */
  breaker?: CircuitBreaker;
}

const PER_PAGE = 100;
const DEFAULT_MAX_PAGES = 100;

type Json = Record<string, unknown>;

/**
 * What one port call expects of every answer it gets (gitbeaker may send several requests for
 * one call, one per page). Carried through gitbeaker by async context, so concurrent calls
 * (the scorecard reads projects in parallel) each keep their own count.
 */
interface CallExpectation {
  /** `file`: a raw artifact; `none`: no body is read (DELETE). */
  answer: { shape: ShapeName; list: boolean } | 'file' | 'none';
  /** Pages (requests) this call may send at most. */
  maxPages: number;
  /** Whether a list cut short at `maxPages` is an error (notes: the sticky note may be on a later page). */
  complete: boolean;
  /** Every page asked for in this call (`pageKey`): a next link to one of them is a loop. */
  seen: Set<string>;
}

const currentCall = new AsyncLocalStorage<CallExpectation>();

/**
 * A page as a key: the path and the query with its parameters sorted, so a next link that
 * reorders `page` and `per_page` still counts as the page it is.
 */
function pageKey(url: URL): string {
  const query = [...url.searchParams].sort(([a, av], [b, bv]) => a.localeCompare(b) || av.localeCompare(bv));
  return `${url.pathname}?${new URLSearchParams(query).toString()}`;
}

function hasNextLink(link: string | undefined): boolean {
  return link !== undefined && /rel="?next"?/.test(link);
}

/**
 * Checks one answer against its call's expectation and bounds the pagination: gitbeaker follows
 * `Link: rel="next"` for as long as the items keep coming (and for ever when they don't, or
 * when the link drops `per_page`), so the count of pages is kept here, and the link removed
 * from the last page qgate will read, which ends gitbeaker's loop.
 */
function checkAnswer(call: CallExpectation, request: TransportRequest, response: TransportResponse): TransportResponse {
  if (call.answer === 'file' || call.answer === 'none') return response;
  const path = decodeURIComponent(request.url.pathname);
  const fail = (kind: 'bad-shape' | 'pagination', description: string): never => {
    throw new GitLabRequestError(kind, { status: response.status, method: request.method, path, description, attempts: 1 });
  };
  const problem = shapeProblem(call.answer.shape, response.body, call.answer.list);
  if (problem !== null) fail('bad-shape', problem);
  if (!call.answer.list || !hasNextLink(response.headers.link)) return response;
  const items = (response.body as unknown[]).length;
  const pages = call.seen.size;
  if (items === 0) {
    // An empty page that still offers a next one: the list has ended, whatever the link says.
    return { ...response, headers: { ...response.headers, link: '' } };
  }
  if (pages >= call.maxPages) {
    if (call.complete) fail('pagination', `GitLab still offered a next page after ${pages} pages of ${items} items; qgate reads at most ${call.maxPages}`);
    return { ...response, headers: { ...response.headers, link: '' } };
  }
  return response;
}

/** The options object gitbeaker hands a request handler (after its own options handler). */
interface HandlerOptions {
  method?: string;
  prefixUrl?: string;
  searchParams?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  asStream?: boolean;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

function toNote(raw: Json): GitLabNote {
  const author = raw.author as Json | undefined;
  return { id: num(raw.id), body: str(raw.body), authorId: author && author.id !== undefined ? num(author.id) : null, system: raw.system === true };
}

function toMergeRequest(raw: Json): GitLabMergeRequest {
  const refs = raw.diff_refs as Json | null | undefined;
  return {
    iid: num(raw.iid),
    projectId: num(raw.project_id),
    sourceProjectId: num(raw.source_project_id),
    sourceBranch: str(raw.source_branch),
    targetBranch: str(raw.target_branch),
    webUrl: str(raw.web_url),
    diffRefs: refs && refs.base_sha ? { baseSha: str(refs.base_sha), headSha: str(refs.head_sha), startSha: str(refs.start_sha) } : null,
  };
}

function toDiff(raw: Json): GitLabMergeRequestDiff {
  return {
    oldPath: str(raw.old_path),
    newPath: str(raw.new_path),
    diff: str(raw.diff),
    newFile: raw.new_file === true,
    renamedFile: raw.renamed_file === true,
    deletedFile: raw.deleted_file === true,
    tooLarge: raw.too_large === true,
    collapsed: raw.collapsed === true,
    aMode: typeof raw.a_mode === 'string' ? raw.a_mode : null,
    bMode: typeof raw.b_mode === 'string' ? raw.b_mode : null,
  };
}

function toPipeline(raw: Json): GitLabPipeline {
  return { id: num(raw.id), sha: str(raw.sha), ref: str(raw.ref), status: str(raw.status), createdAt: str(raw.created_at), webUrl: str(raw.web_url) };
}

function toJob(raw: Json): GitLabJob {
  const artifacts = Array.isArray(raw.artifacts) ? (raw.artifacts as Json[]) : [];
  const hasArchive = artifacts.some((artifact) => artifact.file_type === 'archive');
  return {
    id: num(raw.id),
    name: str(raw.name),
    status: str(raw.status),
    hasArtifacts: hasArchive || (raw.artifacts_file !== null && typeof raw.artifacts_file === 'object'),
    finishedAt: typeof raw.finished_at === 'string' ? raw.finished_at : null,
  };
}

function toProject(raw: Json): GitLabProject {
  return {
    id: num(raw.id),
    pathWithNamespace: str(raw.path_with_namespace),
    name: str(raw.name),
    webUrl: str(raw.web_url),
    defaultBranch: typeof raw.default_branch === 'string' && raw.default_branch !== '' ? raw.default_branch : null,
    archived: raw.archived === true,
    forked: raw.forked_from_project !== undefined && raw.forked_from_project !== null,
  };
}

function toTreeEntry(raw: Json): GitLabTreeEntry {
  const type = str(raw.type);
  return { path: str(raw.path), type: type === 'tree' || type === 'commit' ? type : 'blob' };
}

/** gitbeaker returns a raw file as a string (text/*), a parsed object (JSON) or a Blob (anything else). */
async function asText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Blob) return body.text();
  if (body === null || body === undefined) return '';
  return JSON.stringify(body);
}

async function nullOn404<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof GitLabRequestError && error.status === 404) return null;
    throw error;
  }
}

function pages(options: ListOptions | undefined): { perPage: number; maxPages: number } {
  return { perPage: PER_PAGE, maxPages: options?.maxPages ?? DEFAULT_MAX_PAGES };
}

/** The API root gitbeaker wants: `CI_API_V4_URL` without its `/api/v4`. */
export function hostOf(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/api/v4') ? trimmed.slice(0, -'/api/v4'.length) : trimmed;
}

/** One port call with what its answers must be; `maxPages` bounds the requests of a list. */
function expecting<T>(answer: CallExpectation['answer'], run: () => Promise<T>, bounds: { maxPages?: number; complete?: boolean } = {}): Promise<T> {
  return currentCall.run({ answer, maxPages: bounds.maxPages ?? 1, complete: bounds.complete ?? false, seen: new Set() }, run);
}

export function createGitLabClient(options: GitLabClientOptions): GitLabPort {
  const problem = tokenProblem(options.token);
  if (problem !== null) throw refuseToken(problem);
  const redact = createRedactor(options.token);
  const breaker = options.breaker ?? { tripped: null };
  const requesterFn = createRequesterFn(
    (_service, requestOptions) => Promise.resolve(requestOptions),
    ((endpoint: string, handlerOptions?: HandlerOptions) => {
      const { prefixUrl = '', searchParams, method = 'GET', headers = {}, body, asStream } = handlerOptions ?? {};
      const url = new URL(endpoint, prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`);
      url.search = searchParams ?? '';
      const call = currentCall.getStore();
      if (call !== undefined) {
        // The same page twice in one call: the next links go round in a circle.
        const key = pageKey(url);
        if (call.seen.has(key)) {
          throw new GitLabRequestError('pagination', {
            status: null,
            method,
            path: decodeURIComponent(url.pathname),
            description: `GitLab's next-page link points back to a page already read (after ${call.seen.size} pages)`,
            attempts: 0,
          });
        }
        call.seen.add(key);
      }
      const expect = call === undefined || call.answer === 'none' ? undefined : call.answer === 'file' ? ('file' as const) : ('json' as const);
      const request: TransportRequest = { url, method, headers, ...(body !== undefined ? { body } : {}), ...(asStream ? { asStream } : {}), ...(expect ? { expect } : {}) };
      return sendWithPolicy(request, options.policy, options.clock, redact, breaker).then((response) => (call === undefined ? response : checkAnswer(call, request, response)));
    }) as Parameters<typeof createRequesterFn>[1],
  );
  // camelize stays off: the mapping functions above read GitLab's own snake_case names.
  const api = new Gitlab({ host: hostOf(options.apiUrl), token: options.token, requesterFn } as ConstructorParameters<typeof Gitlab>[0]);

  const one = <T>(shape: ShapeName, run: () => Promise<T>): Promise<T> => expecting({ shape, list: false }, run);
  const many = <T>(shape: ShapeName, listOptions: ListOptions | undefined, complete: boolean, run: () => Promise<T>): Promise<T> =>
    expecting({ shape, list: true }, run, { maxPages: pages(listOptions).maxPages, complete });

  return {
    async currentUserId() {
      try {
        const user = (await one('user', () => api.Users.showCurrentUser())) as unknown as Json;
        return num(user.id);
      } catch (error) {
        if (error instanceof GitLabRequestError && error.status === 403) return null;
        throw error;
      }
    },

    async listMergeRequestNotes(project, iid, listOptions) {
      // Every page is needed: the sticky note may be on the last one.
      const notes = (await many('note', listOptions, true, () => api.MergeRequestNotes.all(project, iid, { ...pages(listOptions), sort: 'asc', orderBy: 'created_at' }))) as unknown as Json[];
      return notes.map(toNote);
    },
    async createMergeRequestNote(project, iid, body) {
      return toNote((await one('note', () => api.MergeRequestNotes.create(project, iid, body))) as unknown as Json);
    },
    async updateMergeRequestNote(project, iid, noteId, body) {
      return toNote((await one('note', () => api.MergeRequestNotes.edit(project, iid, noteId, { body }))) as unknown as Json);
    },
    async deleteMergeRequestNote(project, iid, noteId) {
      await expecting('none', () => api.MergeRequestNotes.remove(project, iid, noteId));
    },

    async getMergeRequest(project, iid) {
      return toMergeRequest((await one('merge-request', () => api.MergeRequests.show(project, iid))) as unknown as Json);
    },
    async listOpenMergeRequestsForBranch(project, branch) {
      const found = (await many('merge-request', { maxPages: 1 }, false, () =>
        api.MergeRequests.all({ projectId: project, sourceBranch: branch, state: 'opened', orderBy: 'created_at', sort: 'desc', perPage: PER_PAGE, maxPages: 1 }),
      )) as unknown as Json[];
      return found.map(toMergeRequest);
    },
    async listMergeRequestDiffs(project, iid, listOptions) {
      // A diff cut short would make changed lines look unchanged.
      const diffs = (await many('diff', listOptions, true, () => api.MergeRequests.allDiffs(project, iid, pages(listOptions)))) as unknown as Json[];
      return diffs.map(toDiff);
    },

    async downloadArtifactFileByRef(project, ref, job, path) {
      const body = await nullOn404(expecting('file', () => api.JobArtifacts.downloadArchive(project, { ref, job, artifactPath: path }) as Promise<unknown>));
      return body === null ? null : asText(body);
    },
    async downloadArtifactFileByJob(project, jobId, path) {
      // gitbeaker appends a by-job artifact path unencoded: encode each segment here.
      const encoded = path.split('/').map(encodeURIComponent).join('/');
      const body = await nullOn404(expecting('file', () => api.JobArtifacts.downloadArchive(project, { jobId, artifactPath: encoded }) as Promise<unknown>));
      return body === null ? null : asText(body);
    },
    async listPipelines(project, query, listOptions) {
      const found = (await many('pipeline', listOptions, false, () =>
        api.Pipelines.all(project, { ref: query.ref, ...(query.status ? { status: query.status } : {}), orderBy: 'id', sort: 'desc', ...pages(listOptions) } as never),
      )) as unknown as Json[];
      return found.map(toPipeline);
    },
    async listPipelineJobs(project, pipelineId, listOptions) {
      const found = (await many('job', listOptions, false, () => api.Jobs.all(project, { pipelineId, ...pages(listOptions) }))) as unknown as Json[];
      return found.map(toJob);
    },

    async listGroupProjects(group, listOptions) {
      const found = (await many('project', listOptions, false, () =>
        api.Groups.allProjects(group, {
          includeSubgroups: true,
          // Projects shared into the group belong to another team's scorecard.
          withShared: false,
          ...(listOptions?.includeArchived ? {} : { archived: false }),
          orderBy: 'id',
          sort: 'asc',
          ...pages(listOptions),
        } as never),
      )) as unknown as Json[];
      return found.map(toProject);
    },
    async listRepositoryTree(project, query, listOptions) {
      const found = (await nullOn404(
        many('tree-entry', listOptions, false, () =>
          api.Repositories.allRepositoryTrees(project, { ref: query.ref, ...(query.path ? { path: query.path } : {}), ...(query.recursive ? { recursive: true } : {}), ...pages(listOptions) } as never) as Promise<unknown>,
        ),
      )) as Json[] | null;
      return (found ?? []).map(toTreeEntry);
    },
    async getRepositoryFile(project, path, ref) {
      const file = (await nullOn404(one('repository-file', () => api.RepositoryFiles.show(project, path, ref) as Promise<unknown>))) as Json | null;
      if (file === null) return null;
      const text = file.encoding === 'base64' ? Buffer.from(str(file.content), 'base64').toString('utf8') : str(file.content);
      return { size: num(file.size), text };
    },
  };
}

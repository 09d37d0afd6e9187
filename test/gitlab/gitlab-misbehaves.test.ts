/**
 * GitLab answers that are not GitLab: a sign-in page, the wrong JSON, next links without end,
 * a 10 MB body, a drip, a token pasted with its line break. Each is one clear error naming the
 * endpoint, with the hint for its cause, at a bounded number of requests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readToken } from '../../src/ci-env.js';
import { QgateError } from '../../src/errors.js';
import { createGitLabClient } from '../../src/gitlab/gitbeaker-adapter.js';
import { createScorecardApi } from '../../src/gitlab/scorecard-api.js';
import { describeGitLabFailure, openGitLabSession } from '../../src/gitlab/session.js';
import { DEFAULT_POLICY, GitLabRequestError, tokenProblem, type TransportClock, type TransportPolicy } from '../../src/gitlab/transport.js';
import { dripFault, endlessLinkFault, htmlPageFault, hugeBodyFault, jsonFault, startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab.js';

const TOKEN = 'glpat-SECRET-abcdef123456';

/**
 * No real waiting: back-offs are recorded and skipped, and a request's timeout fires when the
 * test calls `fireTimeouts()` (recording the timeout asked for), not after real seconds.
 */
function fastClock(budgetMs = 60_000): TransportClock & { waits: number[]; timeouts: number[]; fireTimeouts(): void } {
  const waits: number[] = [];
  const timeouts: number[] = [];
  const pending: AbortController[] = [];
  return {
    waits,
    timeouts,
    now: () => Date.now(),
    sleep: async (ms) => void waits.push(ms),
    deadline: Date.now() + budgetMs,
    timeout: (ms) => {
      timeouts.push(ms);
      const controller = new AbortController();
      pending.push(controller);
      return controller.signal;
    },
    fireTimeouts: () => {
      for (const controller of pending.splice(0)) controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    },
  };
}

let gitlab: FakeGitLab;

beforeEach(async () => {
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'qgate-bot' }] });
  gitlab.addProject({ id: 42, pathWithNamespace: 'acme/app' });
  gitlab.addMergeRequest(42, { iid: 5 });
});

afterEach(async () => {
  await gitlab.close();
});

function client(options: { clock?: TransportClock; policy?: Partial<TransportPolicy> } = {}) {
  return createGitLabClient({ apiUrl: gitlab.apiUrl, token: TOKEN, policy: { ...DEFAULT_POLICY, backoffMs: 10, ...options.policy }, clock: options.clock ?? fastClock() });
}

async function failure(call: Promise<unknown>): Promise<GitLabRequestError> {
  const error = await call.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(GitLabRequestError);
  return error as GitLabRequestError;
}

const session = { tokenVariable: 'QGATE_GITLAB_TOKEN', redact: (text: string) => text, ci: { apiUrl: 'https://gitlab.example.com/api/v4' } } as Parameters<typeof describeGitLabFailure>[2];
const notesPath = (request: { path: string }) => request.path.endsWith('/notes');
const noteItem = (n: number) => ({ id: n, body: `note ${n}`, author: { id: 3 }, system: false });

describe('answers that are not GitLab data', () => {
  it('names an HTML sign-in page for the endpoint, with the not-GitLab hint', async () => {
    gitlab.faults.push(htmlPageFault(notesPath));
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('not-gitlab');
    expect(error.message).toBe('GitLab answered with an HTML page (sign-in?) titled "Sign in · Example SSO" for GET /api/v4/projects/42/merge_requests/5/notes');
    const told = describeGitLabFailure(error, 'posting the comment on !5', session);
    expect(told.hint).toContain('not GitLab\'s API');
    expect(told.hint).not.toContain('in time');
    expect(gitlab.requests.filter(notesPath)).toHaveLength(1);
  });

  it('refuses a POST answered with something that is not a note (no #note_NaN)', async () => {
    gitlab.faults.push(jsonFault((request) => request.method === 'POST', { ok: true }, 201));
    const error = await failure(client().createMergeRequestNote(42, 5, 'hello'));
    expect(error.kind).toBe('bad-shape');
    expect(error.message).toBe('POST /api/v4/projects/42/merge_requests/5/notes: 201 the answer is not a note (no "id")');
  });

  it('refuses a notes "list" that is an object, naming what came back', async () => {
    gitlab.faults.push(jsonFault(notesPath, { notes: [] }));
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.message).toContain('the answer is not a list of notes (it is an object with "notes")');
  });

  it('refuses id-less projects instead of listing them for the scorecard', async () => {
    gitlab.faults.push(jsonFault((request) => request.path.includes('/groups/'), Array.from({ length: 3 }, (_, index) => ({ name: `thing ${index}` }))));
    gitlab.state.groups.push({ id: 9, fullPath: 'acme' });
    const error = await failure(client().listGroupProjects('acme'));
    expect(error.kind).toBe('bad-shape');
    expect(error.message).toContain('item 1 of the list is not a project (no "id")');
  });

  it('says "not valid JSON" for malformed JSON, with the not-GitLab hint (not "in time")', async () => {
    gitlab.faults.push({ match: () => true, status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": 1,', times: 1 });
    const error = await failure(client().currentUserId());
    expect(error.kind).toBe('bad-body');
    expect(describeGitLabFailure(error, 'x', session).hint).toContain('not GitLab\'s API');
  });

  it('refuses a plain-text 200 where JSON was due, naming its content type', async () => {
    gitlab.faults.push({ match: notesPath, status: 200, body: 'Service temporarily in maintenance', times: 1 });
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('not-gitlab');
    expect(error.message).toBe('GitLab answered with text/plain instead of JSON for GET /api/v4/projects/42/merge_requests/5/notes');
  });

  it('refuses a merge request without source_project_id (no NaN project id)', async () => {
    gitlab.faults.push(jsonFault((request) => request.path.endsWith('/merge_requests/5'), { iid: 5, project_id: 42, source_branch: 'feature', target_branch: 'main' }));
    const error = await failure(client().getMergeRequest(42, 5));
    expect(error.message).toBe('GET /api/v4/projects/42/merge_requests/5: 200 the answer is not a merge request (no "source_project_id")');
  });

  it('tells the user one sentence per cause: not GitLab, auth, server error', async () => {
    gitlab.faults.push(htmlPageFault(notesPath));
    const html = describeGitLabFailure(await failure(client().listMergeRequestNotes(42, 5)), 'posting the comment on !5', session);
    expect(html.code).toBe('GITLAB_UNAVAILABLE');
    expect(html.message).toBe('posting the comment on !5 failed (GitLab answered with an HTML page (sign-in?) titled "Sign in · Example SSO" for GET /api/v4/projects/42/merge_requests/5/notes).');
    gitlab.faults.length = 0;
    gitlab.faults.push({ match: notesPath, status: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"401 Unauthorized"}', times: 1 });
    const auth = describeGitLabFailure(await failure(client().listMergeRequestNotes(42, 5)), 'posting the comment on !5', session);
    expect(auth.code).toBe('GITLAB_AUTH');
    expect(auth.message).toBe('GitLab refused QGATE_GITLAB_TOKEN (GET /api/v4/projects/42/merge_requests/5/notes: 401 Unauthorized).');
    expect(auth.hint).toContain('wrong, expired or revoked');
  });

  it('never gives an error that is not a failed request the "did not answer in time" hint', () => {
    const told = describeGitLabFailure(new TypeError('x.map is not a function'), 'posting the comment on !5', session);
    expect(told.code).toBe('GITLAB_UNAVAILABLE');
    expect(told.message).toBe('posting the comment on !5 failed: x.map is not a function.');
    expect(told.hint).not.toContain('in time');
    const refused = new QgateError('GITLAB_TOKEN_INVALID', 'the token contains a line break, so it cannot be sent to GitLab.');
    expect(describeGitLabFailure(refused, 'posting the comment on !5', session)).toBe(refused);
  });

  it('gives a 502 the server-error hint', async () => {
    gitlab.faults.push({ match: () => true, status: 502, body: 'Bad Gateway', times: 99 });
    const error = await failure(client().getMergeRequest(42, 5));
    expect(describeGitLabFailure(error, 'x', session).hint).toContain('server error (502)');
  });

  it('refuses a 10 MB HTML body without buffering it', async () => {
    gitlab.faults.push(hugeBodyFault(notesPath));
    const started = Date.now();
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('not-gitlab');
    expect(error.message).toMatch(/^GitLab answered with an HTML page \(sign-in\?\) for GET /);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('cuts off a body that drips in byte by byte at the request timeout, without retrying it', async () => {
    const clock = fastClock();
    gitlab.faults.push(dripFault(notesPath, 2, (bytes) => bytes === 4 && clock.fireTimeouts()));
    const error = await failure(client({ clock }).listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('GET /api/v4/projects/42/merge_requests/5/notes: 200 the answer was still arriving after 15 s');
    expect(clock.timeouts).toEqual([15_000]);
    expect(gitlab.requests.filter(notesPath)).toHaveLength(1);
    expect(describeGitLabFailure(error, 'x', session).hint).toContain('did not answer in time');
  });

  it('gives up on a server that never answers after 3 attempts, and later requests fail at once', async () => {
    const clock = fastClock();
    gitlab.faults.push({ match: notesPath, status: 200, times: Infinity, respond: () => setImmediate(() => clock.fireTimeouts()) });
    const api = client({ clock });
    const error = await failure(api.listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('GET /api/v4/projects/42/merge_requests/5/notes: no answer within 15 s (after 3 attempts)');
    expect(clock.waits).toEqual([10, 20]);
    const later = await failure(api.getMergeRequest(42, 5));
    expect(later.message).toContain('not tried: GitLab could not be reached earlier in this run');
    expect(gitlab.requests).toHaveLength(3);
  });
});

describe('a body larger than any GitLab answer', () => {
  const MiB = 1024 * 1024;

  it('stops reading a streamed 64 MB JSON body at the size cap, as it streams in', async () => {
    const fault = hugeBodyFault(notesPath, 64 * MiB, 'application/json');
    gitlab.faults.push(fault);
    const error = await failure(client({ policy: { maxResponseBytes: MiB } }).listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('too-large');
    expect(fault.written).toHaveLength(1);
    expect(fault.written[0]).toBeLessThan(16 * MiB);
    expect(error.message).toBe(`GET /api/v4/projects/42/merge_requests/5/notes: 200 the answer passed the ${MiB} bytes qgate accepts; the rest was not read`);
    expect(describeGitLabFailure(error, 'x', session).hint).toContain('far larger than any GitLab answer');
  });

  it('refuses a declared 10 MB body before reading it', async () => {
    gitlab.faults.push(hugeBodyFault(notesPath, 10 * MiB, 'application/json', true));
    const error = await failure(client({ policy: { maxResponseBytes: MiB } }).listMergeRequestNotes(42, 5));
    expect(error.message).toBe(`GET /api/v4/projects/42/merge_requests/5/notes: 200 the answer declares ${10 * MiB} bytes, more than the ${MiB} qgate accepts`);
  });

  it('reads only the head of a 64 MB error page, on every retry', async () => {
    const fault = hugeBodyFault(notesPath, 64 * MiB, 'text/html', false, 502);
    gitlab.faults.push(fault);
    const error = await failure(client().listMergeRequestNotes(42, 5));
    // What the kernel's socket buffers took, a few MB at most: never the whole page.
    for (const bytes of fault.written) expect(bytes).toBeLessThan(16 * MiB);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/^GET \/api\/v4\/projects\/42\/merge_requests\/5\/notes: 502 a{199}… \(after 5 attempts\)$/);
    expect(gitlab.requests.filter(notesPath)).toHaveLength(5);
  });

  it('reads a 10 MB JSON body under the default cap and says it is not JSON', async () => {
    gitlab.faults.push(hugeBodyFault(notesPath, 10 * MiB, 'application/json'));
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('bad-body');
    expect(error.message).toBe('GET /api/v4/projects/42/merge_requests/5/notes: 200 the answer is not valid JSON');
  });
});

describe('the scorecard\'s GraphQL answers', () => {
  const graphql = (request: { path: string }) => request.path === '/api/graphql';
  const api = () => createScorecardApi({ apiUrl: gitlab.apiUrl, token: TOKEN, policy: DEFAULT_POLICY, clock: fastClock(), inFlight: 1 });
  const page = (nodes: unknown[]) => ({ data: { group: { projects: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } });

  it('refuses a group walk whose projects have no id, naming the first one, when the shape is asked for', async () => {
    gitlab.faults.push(jsonFault(graphql, page([{ name: 'thing 1', fullPath: 'acme/thing-1' }])));
    const error = await failure(api().graphql('query { group }', {}, 'group-walk'));
    expect(error.kind).toBe('bad-shape');
    expect(error.message).toBe('POST /api/graphql: 200 the answer is not a page of the group\'s projects (no "id" in group.projects.nodes.0)');
  });

  it('passes a walk of the right shape, and a group that is not found (null)', async () => {
    gitlab.faults.push(jsonFault(graphql, page([{ id: 'gid://gitlab/Project/7', fullPath: 'acme/app', name: 'app', webUrl: 'x', archived: false }]), 200));
    expect(await api().graphql('query { group }', {}, 'group-walk')).toEqual(page([{ id: 'gid://gitlab/Project/7', fullPath: 'acme/app', name: 'app', webUrl: 'x', archived: false }]).data);
    gitlab.faults.length = 0;
    gitlab.faults.push(jsonFault(graphql, { data: { group: null } }));
    expect(await api().graphql('query { group }', {}, 'group-walk')).toEqual({ group: null });
  });
});

describe('pagination is bounded whatever the server sends', () => {
  it('stops a notes list whose Link always advances at 100 pages, with an error', async () => {
    gitlab.faults.push(endlessLinkFault(notesPath, noteItem, 'advancing'));
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('pagination');
    expect(error.message).toContain('GitLab still offered a next page after 100 pages');
    expect(gitlab.requests.filter(notesPath)).toHaveLength(100);
    expect(describeGitLabFailure(error, 'x', session).hint).toContain('next-page links without end');
  });

  it('stops at the second request when the next link repeats a page', async () => {
    gitlab.faults.push(endlessLinkFault(notesPath, noteItem, 'repeating'));
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('pagination');
    expect(error.message).toContain('points back to a page already read');
    expect(gitlab.requests.filter(notesPath)).toHaveLength(2);
  });

  it('stops a next link that goes round a circle of pages at the first page read twice', async () => {
    gitlab.faults.push(endlessLinkFault(notesPath, noteItem, 'cycle'));
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.message).toBe('GET /api/v4/projects/42/merge_requests/5/notes: GitLab\'s next-page link points back to a page already read (after 3 pages)');
    expect(gitlab.requests.filter(notesPath).map((request) => request.query.get('page'))).toEqual([null, '2', '3']);
  });

  it('knows a page again when the link reorders its query parameters', async () => {
    gitlab.faults.push(endlessLinkFault(notesPath, noteItem, 'reordered'));
    const error = await failure(client().listMergeRequestNotes(42, 5));
    expect(error.kind).toBe('pagination');
    expect(gitlab.requests.filter(notesPath)).toHaveLength(2);
  });

  it('bounds a list that need not be complete (pipelines) at its page limit, without an error', async () => {
    const pipelines = (request: { path: string }) => request.path.endsWith('/pipelines');
    gitlab.faults.push(endlessLinkFault(pipelines, (n) => ({ id: n, status: 'success', ref: 'main', sha: 'a' }), 'advancing', 100));
    expect(await client().listPipelines(42, { ref: 'main' }, { maxPages: 3 })).toHaveLength(300);
    expect(gitlab.requests.filter(pipelines)).toHaveLength(3);
  });

  it('bounds a next link without per_page (which disables gitbeaker\'s own bound)', async () => {
    gitlab.faults.push(endlessLinkFault(notesPath, noteItem, 'no-per-page', 20));
    await failure(client().listMergeRequestNotes(42, 5));
    expect(gitlab.requests.filter(notesPath)).toHaveLength(100);
  });

  it('ends a list at an empty page that still offers a next one', async () => {
    gitlab.faults.push(endlessLinkFault(notesPath, noteItem, 'advancing', 0));
    expect(await client().listMergeRequestNotes(42, 5)).toEqual([]);
    expect(gitlab.requests.filter(notesPath)).toHaveLength(1);
  });

  it('reads one page of pipelines when one is asked for, whatever the Link says', async () => {
    const pipelines = (request: { path: string }) => request.path.endsWith('/pipelines');
    gitlab.faults.push(endlessLinkFault(pipelines, (n) => ({ id: n, status: 'success', ref: 'main', sha: 'a' }), 'advancing', 5));
    expect(await client().listPipelines(42, { ref: 'main' }, { maxPages: 1 })).toHaveLength(5);
    expect(gitlab.requests.filter(pipelines)).toHaveLength(1);
  });
});

describe('a token that cannot be sent', () => {
  it('names the defect without the token', () => {
    expect(tokenProblem('glpat-abc\r\ndef')).toBe('the token contains a line break');
    expect(tokenProblem('glpat-abc def')).toBe('the token contains a space');
    expect(tokenProblem('glpat-abc\u0007')).toBe('the token contains a control character');
    expect(tokenProblem('glpat-abcé')).toBe('the token contains a character outside printable ASCII');
    expect(tokenProblem(TOKEN)).toBeNull();
  });

  it('refuses a CR/LF token up front: no request is sent', async () => {
    expect(() => createGitLabClient({ apiUrl: gitlab.apiUrl, token: 'glpat-abc\r\nX-Evil: 1', policy: DEFAULT_POLICY, clock: fastClock() })).toThrow(QgateError);
    const opened = await openGitLabSession({ CI_API_V4_URL: gitlab.apiUrl, CI_PROJECT_ID: '42', QGATE_GITLAB_TOKEN: 'glpat-abc\ndef' }, { requestTimeoutSeconds: 5, budgetSeconds: 10 } as never, Date.now);
    expect(opened.port).toBeNull();
    expect(opened.unavailable?.code).toBe('GITLAB_TOKEN_INVALID');
    expect(opened.unavailable?.exitCode).toBe(3);
    expect(opened.unavailable?.message).toBe('QGATE_GITLAB_TOKEN contains a line break: copy the token again without it.');
    expect(`${opened.unavailable?.message} ${opened.unavailable?.hint}`).not.toContain('glpat');
    expect(gitlab.requests).toHaveLength(0);
  });

  it('does not stop a local run (outside GitLab CI) over a broken token it would not use', async () => {
    const opened = await openGitLabSession({ GITLAB_TOKEN: 'glpat-abc\ndef' }, { requestTimeoutSeconds: 5, budgetSeconds: 10 } as never, Date.now);
    expect(opened.port).toBeNull();
    expect(opened.unavailable).toBeNull();
  });

  it('refuses the token for the scorecard\'s API client too, before any request', () => {
    const error = (() => {
      try {
        createScorecardApi({ apiUrl: gitlab.apiUrl, token: 'glpat-abc\r\ndef', policy: DEFAULT_POLICY, clock: fastClock(), inFlight: 1 });
        return null;
      } catch (caught) {
        return caught as QgateError;
      }
    })();
    expect(error?.code).toBe('GITLAB_TOKEN_INVALID');
    expect(error?.message).toBe('the token contains a line break, so it cannot be sent to GitLab.');
    expect(gitlab.requests).toHaveLength(0);
  });
});

describe('readToken', () => {
  const refusal = (env: Record<string, string>): QgateError | null => {
    try {
      readToken(env);
      return null;
    } catch (error) {
      return error as QgateError;
    }
  };

  it('trims whitespace around the token (a pasted trailing newline) and keeps the token', () => {
    expect(readToken({ QGATE_GITLAB_TOKEN: `  ${TOKEN}\r\n` })).toEqual({ token: TOKEN, variable: 'QGATE_GITLAB_TOKEN' });
    expect(readToken({ GITLAB_TOKEN: `${TOKEN}\n` })).toEqual({ token: TOKEN, variable: 'GITLAB_TOKEN' });
    expect(readToken({ QGATE_GITLAB_TOKEN: ' \n ' })).toBeNull();
  });

  it.each([
    ['glpat-abc\r\ndef', 'a line break'],
    ['glpat-abc\ndef', 'a line break'],
    ['glpat-abc\rdef', 'a line break'],
    ['glpat-abc def', 'a space'],
    ['glpat-abc\tdef', 'a tab'],
    ['glpat-abc\u00a0def', 'a space'],
    ['glpat-abc\u0000def', 'a control character'],
    ['glpat-abc\u007fdef', 'a control character'],
    ['glpat-abc\u00e9def', 'a character outside printable ASCII'],
  ])('refuses %j: it contains %s, and never shows the token', (token, defect) => {
    const error = refusal({ QGATE_GITLAB_TOKEN: token });
    expect(error).toBeInstanceOf(QgateError);
    expect(error?.code).toBe('GITLAB_TOKEN_INVALID');
    expect(error?.message).toBe(`QGATE_GITLAB_TOKEN contains ${defect}: copy the token again without it.`);
    expect(`${error?.message} ${error?.hint}`).not.toMatch(/glpat|abc|def/);
  });

  it('names GITLAB_TOKEN when that is the variable used, and never falls back past a broken QGATE_GITLAB_TOKEN', () => {
    expect(refusal({ GITLAB_TOKEN: 'glpat-abc\ndef' })?.message).toBe('GITLAB_TOKEN contains a line break: copy the token again without it.');
    expect(refusal({ QGATE_GITLAB_TOKEN: 'glpat-abc\ndef', GITLAB_TOKEN: TOKEN })?.message).toMatch(/^QGATE_GITLAB_TOKEN contains a line break/);
  });
});

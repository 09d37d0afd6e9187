import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitLabClient, hostOf } from '../../src/gitlab/gitbeaker-adapter.js';
import { createRedactor, DEFAULT_POLICY, GitLabRequestError, type TransportClock } from '../../src/gitlab/transport.js';
import { startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab.js';

const TOKEN = 'glpat-SECRET-abcdef123456';

/**
 * A clock whose waits cost no real time: each wait qgate asks for is recorded and moves `now()`
 * forward by that much, so the budget sees it as spent.
 */
function recordingClock(budgetMs = 60_000): TransportClock & { waits: number[] } {
  const waits: number[] = [];
  const started = Date.now();
  let slept = 0;
  return {
    waits,
    now: () => Date.now() + slept,
    sleep: async (ms) => {
      waits.push(ms);
      slept += ms;
    },
    deadline: started + budgetMs,
  };
}

let gitlab: FakeGitLab;

beforeEach(async () => {
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'qgate-bot' }] });
  gitlab.addProject({ id: 42, pathWithNamespace: 'acme/app' });
});

afterEach(async () => {
  await gitlab.close();
});

function client(clock: TransportClock = recordingClock(), token = TOKEN) {
  return createGitLabClient({ apiUrl: gitlab.apiUrl, token, policy: { ...DEFAULT_POLICY, backoffMs: 10 }, clock });
}

describe('gitbeaker adapter against a GitLab-like server', () => {
  it('derives the host from CI_API_V4_URL, including a relative URL root', () => {
    expect(hostOf('https://gitlab.example.com/api/v4')).toBe('https://gitlab.example.com');
    expect(hostOf('https://example.com/gitlab/api/v4/')).toBe('https://example.com/gitlab');
  });

  it('reads every page of notes through the Link header', async () => {
    const mr = gitlab.addMergeRequest(42, { iid: 5 });
    for (let index = 0; index < 250; index += 1) {
      mr.notes.push({ id: index + 1, body: `note ${index + 1}`, authorId: 3, system: false, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString() });
    }
    const notes = await client().listMergeRequestNotes(42, 5);
    expect(notes).toHaveLength(250);
    expect(notes[0]).toEqual({ id: 1, body: 'note 1', authorId: 3, system: false });
    expect(notes[249]!.body).toBe('note 250');
    const pages = gitlab.requests.filter((request) => request.path.endsWith('/notes')).map((request) => request.query.get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(gitlab.requests[0]!.query.get('per_page')).toBe('100');
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    gitlab.faults.push({ match: (request) => request.path === '/api/v4/user', status: 429, headers: { 'retry-after': '2' }, body: 'Retry later', times: 1 });
    const clock = recordingClock();
    expect(await client(clock).currentUserId()).toBe(7);
    expect(clock.waits).toEqual([2000]);
    expect(gitlab.requests).toHaveLength(2);
  });

  it('retries a 500 twice with back-off, then succeeds', async () => {
    gitlab.faults.push({ match: (request) => request.path === '/api/v4/user', status: 500, body: '{"message":"500 Internal Server Error"}', times: 2 });
    const clock = recordingClock();
    expect(await client(clock).currentUserId()).toBe(7);
    expect(clock.waits).toEqual([10, 20]);
  });

  it('gives up on 5xx after the last attempt with GitLab\'s message', async () => {
    gitlab.faults.push({ match: () => true, status: 503, body: '{"message":"503 Service Unavailable"}', times: 99 });
    const error = await client().getMergeRequest(42, 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitLabRequestError);
    expect((error as GitLabRequestError).status).toBe(503);
    expect((error as GitLabRequestError).message).toBe('GET /api/v4/projects/42/merge_requests/1: 503 Service Unavailable (after 5 attempts)');
  });

  it('stops at the time budget instead of waiting past it', async () => {
    gitlab.faults.push({ match: () => true, status: 429, headers: { 'retry-after': '30' }, body: 'Retry later', times: 1 });
    const error = await client(recordingClock(5_000)).currentUserId().catch((caught: unknown) => caught);
    expect((error as GitLabRequestError).kind).toBe('budget');
    expect((error as GitLabRequestError).message).toContain('waiting 30 s more would pass the time budget');
  });

  it('reports 401 without the token, even when the body echoes it', async () => {
    gitlab.faults.push({ match: () => true, status: 401, body: `{"message":"401 Unauthorized: token ${TOKEN} expired"}`, times: 1 });
    const error = (await client().currentUserId().catch((caught: unknown) => caught)) as GitLabRequestError;
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain('[token]');
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('redacts the token before shortening a long error body, so no piece of it survives', async () => {
    const body = JSON.stringify({ message: `${'x'.repeat(186)} ${TOKEN} and more text after it` });
    gitlab.faults.push({ match: () => true, status: 400, body, times: 1 });
    const error = (await client().currentUserId().catch((caught: unknown) => caught)) as GitLabRequestError;
    expect(error.message).not.toContain(TOKEN.slice(0, 12));
    expect(error.message).toContain('[token]');
  });

  it('posts once only after a 502: GitLab may have created the note already', async () => {
    gitlab.addMergeRequest(42, { iid: 5 });
    gitlab.faults.push({ match: (request) => request.method === 'POST', status: 502, body: 'Bad Gateway', times: 1 });
    const error = (await client().createMergeRequestNote(42, 5, 'x').catch((caught: unknown) => caught)) as GitLabRequestError;
    expect(error.status).toBe(502);
    expect(gitlab.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('retries a POST the rate limiter refused (429), which GitLab did not act on', async () => {
    gitlab.addMergeRequest(42, { iid: 5 });
    gitlab.faults.push({ match: (request) => request.method === 'POST', status: 429, headers: { 'retry-after': '0' }, body: 'Retry later', times: 1 });
    expect((await client().createMergeRequestNote(42, 5, 'x')).body).toBe('x');
    expect(gitlab.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
  });

  it('gives up on a refused connection after 3 attempts, and later requests fail at once', async () => {
    const closed = await startFakeGitLab();
    const apiUrl = closed.apiUrl;
    await closed.close();
    const clock = recordingClock();
    const api = createGitLabClient({ apiUrl, token: TOKEN, policy: { ...DEFAULT_POLICY, backoffMs: 10 }, clock });
    const first = (await api.currentUserId().catch((caught: unknown) => caught)) as GitLabRequestError;
    expect(first.kind).toBe('network');
    expect(first.message).toContain('cannot connect (ECONNREFUSED) (after 3 attempts)');
    expect(clock.waits).toEqual([10, 20]);
    const second = (await api.listMergeRequestNotes(42, 5).catch((caught: unknown) => caught)) as GitLabRequestError;
    expect(second.kind).toBe('network');
    expect(second.message).toMatch(/^GET \/api\/v4\/projects\/42\/merge_requests\/5\/notes: not tried: GitLab could not be reached earlier in this run \(cannot connect/);
    expect(clock.waits).toEqual([10, 20]);
  });

  it('names the endpoint path decoded, as a reader knows it', async () => {
    const error = (await client().downloadArtifactFileByJob(42, 404_404, 'qgate-report/result.json').then(() => null, (caught: unknown) => caught)) as GitLabRequestError | null;
    expect(error).toBeNull(); // a 404 is "no artifact", not an error
    gitlab.faults.push({ match: () => true, status: 500, body: '{"message":"boom"}', times: 9 });
    const failed = (await client().downloadArtifactFileByRef(42, 'main', 'qgate', 'qgate-report/result.json').catch((caught: unknown) => caught)) as GitLabRequestError;
    expect(failed.message).toContain('GET /api/v4/projects/42/jobs/artifacts/main/raw/qgate-report/result.json: 500 boom');
  });

  it('follows no redirect, so the token never reaches another host', async () => {
    gitlab.faults.push({ match: () => true, status: 302, headers: { location: 'http://elsewhere.example/steal' }, times: 1 });
    const error = (await client().currentUserId().catch((caught: unknown) => caught)) as GitLabRequestError;
    expect(error.kind).toBe('redirect');
    expect(error.message).toContain('http://elsewhere.example');
  });

  it('downloads a result.json by ref (text/plain) and by job id (application/json) as the same text', async () => {
    const project = gitlab.state.projects[0]!;
    const text = '{"schemaVersion":1,"verdict":"pass"}';
    project.pipelines.push({ id: 9, ref: 'main', sha: 'a'.repeat(40), status: 'success', createdAt: '2026-11-01T00:00:00Z', jobs: [{ id: 90, name: 'qgate', status: 'success', artifacts: new Map([['qgate-report/result.json', text]]) }] });
    const api = client();
    expect(await api.downloadArtifactFileByRef(42, 'main', 'qgate', 'qgate-report/result.json')).toBe(text);
    expect(JSON.parse((await api.downloadArtifactFileByJob(42, 90, 'qgate-report/result.json'))!)).toEqual(JSON.parse(text));
    expect(await api.downloadArtifactFileByRef(42, 'main', 'other', 'qgate-report/result.json')).toBeNull();
  });

  it('creates, edits and deletes a note', async () => {
    gitlab.addMergeRequest(42, { iid: 5 });
    const api = client();
    const created = await api.createMergeRequestNote(42, 5, 'hello');
    expect(created).toMatchObject({ body: 'hello', authorId: 7 });
    expect((await api.updateMergeRequestNote(42, 5, created.id, 'edited')).body).toBe('edited');
    await api.deleteMergeRequestNote(42, 5, created.id);
    expect(await api.listMergeRequestNotes(42, 5)).toEqual([]);
  });

  it('redacts the token and its URL-encoded form', () => {
    const redact = createRedactor('a+b/c=secret');
    expect(redact('x a+b/c=secret y a%2Bb%2Fc%3Dsecret')).toBe('x [token] y [token]');
  });
});

/**
 * `qgate check` in a simulated GitLab merge request pipeline: the real CLI, the real
 * @gitbeaker/rest client, and a loopback server answering like GitLab's REST API. Retries and
 * back-off are tested in process with time that does not wait (test/run-gitlab.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { endlessLinkFault, htmlPageFault, startFakeGitLab, type FakeGitLab, type FakeMergeRequest } from '../support/fake-gitlab.js';
import { expectNoStackTrace, readResult, runQgateAsync, type CliRun } from './helpers.js';
import { completeResult } from '../support/complete-result.js';

const TOKEN = 'glpat-Qg4te-SECRET-token-0123456789';
const BOT = 77;
const PROJECT = 1217;
const IID = 5;
const MARKER = '<!-- qgate:sticky-note -->';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function sample(): { repo: string; baseSha: string; headSha: string } {
  const made = makeSampleRepo(tmpdir()) as { repo: string; baseSha: string };
  created.push(made.repo);
  const headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: made.repo, encoding: 'utf8' }).trim();
  return { ...made, headSha };
}

let gitlab: FakeGitLab;
let mr: FakeMergeRequest;

beforeEach(async () => {
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: BOT, username: 'project_1217_bot' }] });
  gitlab.addProject({ id: PROJECT, pathWithNamespace: 'acme/inventory' });
  mr = gitlab.addMergeRequest(PROJECT, { iid: IID, sourceBranch: 'feature/low-stock', targetBranch: 'main' });
});
afterEach(async () => {
  await gitlab.close();
});

function mrPipelineEnv(baseSha: string, headSha: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_API_V4_URL: gitlab.apiUrl,
    CI_PROJECT_ID: String(PROJECT),
    CI_PROJECT_URL: `${gitlab.url}/acme/inventory`,
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_IID: String(IID),
    CI_MERGE_REQUEST_PROJECT_ID: String(PROJECT),
    CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_COMMIT_SHA: headSha,
    CI_DEFAULT_BRANCH: 'main',
    CI_JOB_NAME: 'qgate',
    CI_JOB_URL: `${gitlab.url}/acme/inventory/-/jobs/900`,
    QGATE_GITLAB_TOKEN: TOKEN,
    ...extra,
  };
}

const check = (repo: string, env: Record<string, string>, args: string[] = []): Promise<CliRun> =>
  runQgateAsync(repo, ['check', '--coverage', 'coverage/lcov.info', ...args], env);

function expectTokenNowhere(run: CliRun, repo: string): void {
  expect(run.stdout).not.toContain(TOKEN);
  expect(run.stderr).not.toContain(TOKEN);
  for (const file of readdirSync(join(repo, 'qgate-report'))) {
    expect(readFileSync(join(repo, 'qgate-report', file), 'utf8'), file).not.toContain(TOKEN);
  }
}


describe('the sticky merge request note', () => {
  it('is created on the first run and edited in place on the second', async () => {
    const { repo, baseSha, headSha } = sample();
    const first = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(first.stderr).toBe('');
    expect(first.status).toBe(1);
    expect(mr.notes).toHaveLength(1);
    const note = mr.notes[0]!;
    expect(note.authorId).toBe(BOT);
    expect(note.body).toBe(readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8'));
    expect(first.stdout).toContain(`qgate: comment created: ${gitlab.url}/acme/inventory/-/merge_requests/5#note_${note.id}`);
    // The token went in the PRIVATE-TOKEN header and nowhere else.
    expect(gitlab.requests.every((request) => request.headers['private-token'] === TOKEN)).toBe(true);
    expectTokenNowhere(first, repo);

    // Same commit, same result: the note is left alone.
    const again = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(again.stdout).toContain('qgate: comment unchanged');
    expect(gitlab.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);

    // A different result (higher bar: still failing, other numbers): the same note is edited.
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'again'], { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' } });
    const second = await check(repo, mrPipelineEnv(baseSha, 'f'.repeat(40)));
    expect(second.stdout).toContain(`qgate: comment updated: ${gitlab.url}/acme/inventory/-/merge_requests/5#note_${note.id}`);
    expect(mr.notes).toHaveLength(1);
    expect(mr.notes[0]!.id).toBe(note.id);
    expect(mr.notes[0]!.body).toContain('/-/blob/ffffffffffffffffffffffffffffffffffffffff/');
  });

  it('finds its marker on page 3 of 250 notes and removes duplicates, sparing notes of other users', async () => {
    const { repo, baseSha, headSha } = sample();
    const at = (index: number): string => new Date(Date.UTC(2026, 10, 1, 0, 0, index)).toISOString();
    for (let index = 0; index < 250; index += 1) mr.notes.push({ id: 10_000 + index, body: `review comment ${index}`, authorId: 3, system: index % 10 === 0, createdAt: at(index) });
    // Ours at position 231 (page 3 at 100 a page), a duplicate at 241, and a user quoting the marker.
    mr.notes[231]!.authorId = BOT;
    mr.notes[231]!.body = `${MARKER}\n<!-- qgate:verdict=fail -->\nold report`;
    mr.notes[241]!.authorId = BOT;
    mr.notes[241]!.body = `${MARKER}\nduplicate`;
    mr.notes[246]!.body = `${MARKER}\nI quote qgate's marker`;
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('qgate: comment updated');
    expect(run.stdout).toContain('qgate: removed 1 duplicate qgate note');
    const pages = gitlab.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/notes')).map((request) => request.query.get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(mr.notes.find((note) => note.id === 10_231)!.body).toContain('<!-- qgate:verdict=fail');
    expect(mr.notes.some((note) => note.id === 10_241)).toBe(false);
    expect(mr.notes.find((note) => note.id === 10_246)!.body).toBe(`${MARKER}\nI quote qgate's marker`);
    expect(mr.notes).toHaveLength(249);
  });

  it('never lets an older pipeline overwrite a newer pipeline\'s note', async () => {
    const { repo, baseSha, headSha } = sample();
    const newer = await check(repo, mrPipelineEnv(baseSha, headSha, { CI_PIPELINE_ID: '501' }));
    expect(newer.stdout).toContain('qgate: comment created');
    expect(mr.notes[0]!.body).toContain('<!-- qgate:verdict=fail pipeline=501 -->');
    const older = await check(repo, mrPipelineEnv(baseSha, headSha, { CI_PIPELINE_ID: '500', CI_COMMIT_SHA: 'e'.repeat(40) }));
    expect(older.stdout).toContain('qgate: comment not updated: a newer pipeline already reported');
    expect(mr.notes).toHaveLength(1);
    expect(mr.notes[0]!.body).toContain('pipeline=501');
  });

  it('links to the merge request in the upstream project when the pipeline runs in a fork', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, mrPipelineEnv(baseSha, headSha, { CI_PROJECT_URL: `${gitlab.url}/alice/inventory`, CI_MERGE_REQUEST_PROJECT_URL: `${gitlab.url}/acme/inventory` }));
    expect(run.stdout).toContain(`qgate: comment created: ${gitlab.url}/acme/inventory/-/merge_requests/5#note_`);
  });

  it('posts a short extra note when the verdict flips', async () => {
    const { repo, baseSha, headSha } = sample();
    mr.notes.push({ id: 1, body: `${MARKER}\n<!-- qgate:verdict=pass -->\nall good`, authorId: BOT, system: false, createdAt: '2026-11-01T00:00:00Z' });
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.stdout).toContain('qgate: the verdict changed from pass to fail: posted a notice');
    expect(mr.notes).toHaveLength(2);
    expect(mr.notes[1]!.body).toBe(
      `<!-- qgate:verdict-change -->\nThe quality gate changed from **passed** to **failed**: [the qgate report](${gitlab.url}/acme/inventory/-/merge_requests/5#note_1) was updated.`,
    );
  });

  it('on 401 says what to check, keeps the verdict as the exit code, and has written every file', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, mrPipelineEnv(baseSha, headSha, { QGATE_GITLAB_TOKEN: `${TOKEN}-revoked` }));
    expectNoStackTrace(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('qgate: warning GITLAB_AUTH: GitLab refused QGATE_GITLAB_TOKEN');
    expect(run.stderr).toContain('401 Unauthorized');
    expect(run.stderr).toContain('What to do: The token is wrong, expired or revoked');
    expect(run.stderr).not.toContain(TOKEN);
    expect(readdirSync(join(repo, 'qgate-report')).sort()).toEqual(['cobertura.xml', 'codequality.json', 'comment.md', 'index.html', 'junit.xml', 'metrics.txt', 'result.json']);
    expect(readResult(repo).verdict).toBe('fail');
    expectTokenNowhere(run, repo);
  });

  it('exits 3 on a posting failure when the config requires the comment', async () => {
    const { repo, baseSha, headSha } = sample();
    execFileSync('sh', ['-c', 'printf "gitlab:\\n  comment:\\n    required: true\\n" > .qgate.yml'], { cwd: repo });
    gitlab.faults.push({ match: (request) => request.method === 'POST', status: 403, body: '{"message":"403 Forbidden"}', times: 1 });
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('qgate: error GITLAB_FORBIDDEN: QGATE_GITLAB_TOKEN may not do this (POST /api/v4/projects/1217/merge_requests/5/notes: 403 Forbidden).');
    expect(run.stderr).toContain('gitlab.comment.required makes this fail the job');
    expect(readResult(repo).verdict).toBe('fail');
  });

  it('--no-comment makes no request at all', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, mrPipelineEnv(baseSha, headSha), ['--no-comment']);
    expect(run.status).toBe(1);
    expect(gitlab.requests.filter((request) => request.path.endsWith('/notes'))).toEqual([]);
  });

  it('without a token, warns that the note was not posted and names the variable to set', async () => {
    const { repo, baseSha, headSha } = sample();
    const env = mrPipelineEnv(baseSha, headSha);
    delete env.QGATE_GITLAB_TOKEN;
    const run = await check(repo, env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('qgate: warning GITLAB_NO_TOKEN: neither QGATE_GITLAB_TOKEN nor GITLAB_TOKEN is set');
    expect(run.stderr).toContain('CI_JOB_TOKEN cannot write merge request notes');
    expect(gitlab.requests).toEqual([]);
  });
});

describe('when GitLab misbehaves', () => {
  const api = (request: { path: string }) => request.path.startsWith('/api/v4/');
  const notes = (request: { path: string }) => request.path.endsWith('/notes');
  const HINT = 'What to do: Something that is not GitLab\'s API answered: check that CI_API_V4_URL';

  it('an SSO sign-in page (200 text/html) in front of the API: a warning per sink naming the endpoint, the baseline unavailable with the reason, the verdict as exit code', async () => {
    const { repo, baseSha, headSha } = sample();
    gitlab.faults.push(htmlPageFault(api));
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expectNoStackTrace(run.stderr);
    expect(run.status).toBe(1);
    const page = 'GitLab answered with an HTML page (sign-in?) titled "Sign in · Example SSO"';
    expect(run.stderr).toContain(`qgate: warning GITLAB_UNAVAILABLE: posting the comment on !5 failed (${page} for GET /api/v4/user).\n  ${HINT}`);
    expect(run.stderr).toContain(`qgate: warning GITLAB_UNAVAILABLE: reading the baseline from main's "qgate" artifacts failed (${page} for GET /api/v4/projects/1217/jobs/artifacts/main/raw/qgate-report/result.json).`);
    expect(run.stderr).not.toMatch(/is not a function|did not answer in time|#note_NaN/);
    const baseline = readResult(repo).baseline as { status: string; reason: string };
    expect(baseline.status).toBe('unavailable');
    expect(baseline.reason).toContain(`${page} for GET /api/v4/projects/1217/jobs/artifacts/main/raw/qgate-report/result.json`);
    expect(readResult(repo).verdict).toBe('fail');
    expectTokenNowhere(run, repo);
  });

  it('a sign-in page for the notes list only: the warning names that endpoint, one request, nothing posted', async () => {
    const { repo, baseSha, headSha } = sample();
    gitlab.faults.push(htmlPageFault(notes));
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('qgate: warning GITLAB_UNAVAILABLE: posting the comment on !5 failed (GitLab answered with an HTML page (sign-in?) titled "Sign in · Example SSO" for GET /api/v4/projects/1217/merge_requests/5/notes).');
    expect(gitlab.requests.filter(notes).map((request) => request.method)).toEqual(['GET']);
    expect(mr.notes).toEqual([]);
  });

  it('with gitlab.comment.required the same page is an error: exit 3', async () => {
    const { repo, baseSha, headSha } = sample();
    execFileSync('sh', ['-c', 'printf "gitlab:\\n  comment:\\n    required: true\\n" > .qgate.yml'], { cwd: repo });
    gitlab.faults.push(htmlPageFault(notes));
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('qgate: error GITLAB_UNAVAILABLE: posting the comment on !5 failed (GitLab answered with an HTML page (sign-in?)');
  });

  it('a notes list whose Link header says rel="next" for ever costs 100 requests, then one warning', async () => {
    const { repo, baseSha, headSha } = sample();
    gitlab.faults.push(endlessLinkFault(notes, (n) => ({ id: n, body: `note ${n}`, author: { id: 3 }, system: false }), 'advancing'));
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('qgate: warning GITLAB_UNAVAILABLE: posting the comment on !5 failed (GET /api/v4/projects/1217/merge_requests/5/notes: 200 GitLab still offered a next page after 100 pages of 100 items; qgate reads at most 100).');
    expect(run.stderr).toContain('sent next-page links without end');
    expect(gitlab.requests.filter(notes)).toHaveLength(100);
    expect(gitlab.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('a token pasted with a line break inside is refused before any request, without showing it', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, mrPipelineEnv(baseSha, headSha, { QGATE_GITLAB_TOKEN: `${TOKEN.slice(0, 12)}\r\n${TOKEN.slice(12)}` }));
    expectNoStackTrace(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('qgate: warning GITLAB_TOKEN_INVALID: QGATE_GITLAB_TOKEN contains a line break: copy the token again without it.');
    expect(run.stderr).not.toContain('cannot connect');
    expect(run.stderr).not.toContain(TOKEN.slice(0, 12));
    expect(run.stderr).not.toContain(TOKEN.slice(12));
    expect(gitlab.requests).toEqual([]);
  });
});

describe('a branch pipeline', () => {
  const branchEnv = (baseSha: string, headSha: string): Record<string, string> => {
    const env = mrPipelineEnv(baseSha, headSha, { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature/low-stock' });
    for (const name of ['CI_MERGE_REQUEST_IID', 'CI_MERGE_REQUEST_PROJECT_ID', 'CI_MERGE_REQUEST_DIFF_BASE_SHA', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME']) delete env[name];
    return env;
  };

  it('finds the open merge request of its branch and comments there', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, branchEnv(baseSha, headSha), ['--base', baseSha]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`qgate: comment created: ${gitlab.url}/acme/inventory/-/merge_requests/5#note_`);
    const lookup = gitlab.requests.find((request) => request.path === '/api/v4/projects/1217/merge_requests');
    expect(lookup?.query.get('source_branch')).toBe('feature/low-stock');
    expect(lookup?.query.get('state')).toBe('opened');
  });

  it('says plainly that there is no merge request, and skips the comment', async () => {
    const { repo, baseSha, headSha } = sample();
    mr.state = 'merged';
    const run = await check(repo, branchEnv(baseSha, headSha), ['--base', baseSha]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('qgate: comment not posted: no open merge request has feature/low-stock as its source branch');
    expect(mr.notes).toEqual([]);
  });
});

describe('the target branch baseline', () => {
  function publishBaseline(percent: number, status = 'success', jobStatus = status): void {
    const project = gitlab.state.projects[0]!;
    const baseline = completeResult({ generatedAt: '2026-11-20T10:00:00.000Z', verdict: 'pass', diff: { headSha: 'c'.repeat(40) }, coverage: { overall: { covered: 9, total: 10, percent } } });
    project.pipelines.push({ id: project.pipelines.length + 100, ref: 'main', sha: 'c'.repeat(40), status, createdAt: '2026-11-20T10:00:00Z', jobs: [{ id: project.pipelines.length + 900, name: 'qgate', status: jobStatus, artifacts: new Map([['qgate-report/result.json', JSON.stringify(baseline)]]) }] });
  }

  it('on the default branch, compares with the branch\'s own previous result, and posts nothing', async () => {
    const { repo, baseSha, headSha } = sample();
    publishBaseline(90);
    execFileSync('sh', ['-c', 'printf "gates:\\n  overall_coverage:\\n    maxDrop: 1\\n" > .qgate.yml'], { cwd: repo });
    const env = mrPipelineEnv(baseSha, headSha, { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' });
    for (const name of ['CI_MERGE_REQUEST_IID', 'CI_MERGE_REQUEST_PROJECT_ID', 'CI_MERGE_REQUEST_DIFF_BASE_SHA', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME']) delete env[name];
    const run = await check(repo, env, ['--base', baseSha]);
    expect(run.stderr).toBe('');
    const result = readResult(repo);
    expect(result.baseline).toMatchObject({ status: 'found', ref: 'main', overallCoveragePercent: 90 });
    expect(result.gates.find((candidate) => candidate.id === 'overall_coverage')?.status).toBe('fail');
    expect(mr.notes).toEqual([]);
    expect(gitlab.requests.some((request) => request.path.includes('/merge_requests'))).toBe(false);
  });

  it('reads overall coverage from the target branch artifact and fails a drop beyond maxDrop', async () => {
    const { repo, baseSha, headSha } = sample();
    publishBaseline(90);
    execFileSync('sh', ['-c', 'printf "gates:\\n  overall_coverage:\\n    maxDrop: 1\\n" > .qgate.yml'], { cwd: repo });
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.stderr).toBe('');
    const result = readResult(repo);
    expect(result.baseline).toMatchObject({ status: 'found', ref: 'main', job: 'qgate', overallCoveragePercent: 90, commitSha: 'c'.repeat(40) });
    const gate = result.gates.find((candidate) => candidate.id === 'overall_coverage');
    expect(gate?.status).toBe('fail');
    expect(gate?.reason).toContain('90');
    const comment = readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8');
    expect(comment).toContain('| −13.1 pts |');
    expect(comment).toContain('dropped 13.08 points from 90 %');
    expect(comment).toContain('Baseline: main at cccccccccccc, measured 2026-11-20.');
    const raw = gitlab.requests.find((request) => request.path.includes('/jobs/artifacts/'));
    expect(raw?.path).toBe('/api/v4/projects/1217/jobs/artifacts/main/raw/qgate-report%2Fresult.json'); // gitbeaker encodes the path; GitLab decodes it
    expect(raw?.query.get('job')).toBe('qgate');
  });

  it('walks back to a failed pipeline whose qgate job passed, skipping a failed qgate job', async () => {
    const { repo, baseSha, headSha } = sample();
    publishBaseline(70, 'failed', 'success'); // a later job failed the pipeline; qgate passed
    publishBaseline(20, 'failed', 'failed'); // newer, but qgate itself failed: never a baseline
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.stderr).toBe('');
    expect(readResult(repo).baseline).toMatchObject({ status: 'found', overallCoveragePercent: 70, pipelineId: 100, jobId: 900 });
    expect(readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8')).toContain('| +6.9 pts |');
  });

  it('with none found, records why and skips the comparison', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.stderr).toBe('');
    expect(readResult(repo).baseline).toMatchObject({ status: 'not-found', reason: 'no finished pipeline on main kept qgate-report/result.json from a passing "qgate" job' });
    // A first pipeline says so once, in the comment and once in the log — not once per gate.
    const comment = readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8');
    expect(comment.match(/No baseline from main/g)).toHaveLength(1);
    expect(run.stdout.match(/No baseline from main/g)).toHaveLength(1);
  });


  /**
   * The sample MR with two files it does not touch, added under its base: the base commit gets
   * them and the MR's commits are replayed on top, so base..head edits only the sample's files.
   */
  function sampleWithUntouchedFiles(): { repo: string; baseSha: string; headSha: string } {
    const { repo, baseSha, headSha } = sample();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=qgate test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    git('checkout', '-q', '--detach', baseSha);
    writeFileSync(join(repo, 'src', 'util.js'), 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n');
    writeFileSync(join(repo, 'src', 'steady.js'), 'export const s = 1;\n');
    git('add', 'src/util.js', 'src/steady.js');
    git('commit', '-q', '-m', 'untouched helpers');
    const newBase = git('rev-parse', 'HEAD');
    git('cherry-pick', `${baseSha}..${headSha}`);
    // This run's coverage: util.js lost a covered line, steady.js did not move.
    appendFileSync(join(repo, 'coverage', 'lcov.info'), 'TN:\nSF:src/util.js\nDA:1,1\nDA:2,1\nDA:3,0\nend_of_record\nTN:\nSF:src/steady.js\nDA:1,4\nend_of_record\n');
    return { repo, baseSha: newBase, headSha: git('rev-parse', 'HEAD') };
  }

  function publishPerFileBaseline(commitSha: string, perFile: Record<string, [number, number]> | undefined): void {
    const project = gitlab.state.projects[0]!;
    const baseline = completeResult({ generatedAt: '2026-11-20T10:00:00.000Z', verdict: 'pass', diff: { headSha: commitSha }, coverage: { overall: { covered: 9, total: 10, percent: 90 }, perFile } });
    const id = project.pipelines.length;
    project.pipelines.push({ id: id + 100, ref: 'main', sha: commitSha, status: 'success', createdAt: '2026-11-20T10:00:00Z', jobs: [{ id: id + 900, name: 'qgate', status: 'success', artifacts: new Map([['qgate-report/result.json', JSON.stringify(baseline)]]) }] });
  }

  it('lists coverage that moved in files the MR did not edit as information, and no gate changes for it', async () => {
    const { repo, baseSha, headSha } = sampleWithUntouchedFiles();
    // An older qgate's result: no perFile, so nothing to compare.
    publishPerFileBaseline(baseSha, undefined);
    const before = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(before.stderr).toBe('');
    const older = readResult(repo);
    expect(older.baseline).toMatchObject({ status: 'found' });
    expect(older.coverage?.indirect).toBeUndefined();
    // This run records its own per-file figures for the next one, sorted by path.
    expect(older.coverage?.perFile).toEqual({ 'src/steady.js': [1, 1], 'src/stock.js': [10, 13], 'src/util.js': [2, 3] });

    // The stock.js figure moved too, but the MR edits stock.js: only util.js is indirect; gone.js is in the baseline only.
    publishPerFileBaseline(baseSha, { 'src/gone.js': [2, 2], 'src/steady.js': [1, 1], 'src/stock.js': [1, 13], 'src/util.js': [3, 3] });
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.stderr).toBe('');
    const result = readResult(repo);
    expect(result.coverage?.indirect).toEqual({
      compared: 2,
      files: 1,
      listed: [{ path: 'src/util.js', before: { covered: 3, total: 3, percent: 100 }, after: { covered: 2, total: 3, percent: 66.66 } }],
    });
    expect(result.gates.map((gate) => [gate.id, gate.status, gate.reason])).toEqual(older.gates.map((gate) => [gate.id, gate.status, gate.reason]));
    expect([result.verdict, run.status]).toEqual([older.verdict, before.status]);
    const comment = readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8');
    expect(comment).toContain('<details><summary>ℹ️ Coverage changed in 1 file you did not edit</summary>');
    expect(comment).toContain(`[\`src/util.js\`](${gitlab.url}/acme/inventory/-/blob/${headSha}/src/util.js) — 100 % (3/3 lines) → 66.7 % (2/3 lines), −33.3 pts`);
    // The baseline was measured on the MR's base: no note about changes merged since.
    expect(comment).not.toContain("not this merge request's base");
    expect(mr.notes.at(-1)?.body).toContain('Coverage changed in 1 file you did not edit');
    expect(readFileSync(join(repo, 'qgate-report', 'index.html'), 'utf8')).toContain('<td>100 % (3/3 lines)</td><td>66.7 % (2/3 lines)</td><td>−33.3 pts</td>');
    expect(run.stdout).toContain('src/util.js: 3/3 -> 2/3 lines covered');
  });

  it('with lines: added, fails when legacy code the MR modified is less covered than on the target branch', async () => {
    const { repo, baseSha, headSha } = sampleWithUntouchedFiles();
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    lines: added\n    min: 0\n    unmeasuredFiles: ignore\n');
    // stock.js (modified by the MR) was 12 of 13 on main; this run has it at 10 of 13.
    publishPerFileBaseline(baseSha, { 'src/stock.js': [12, 13], 'src/util.js': [2, 3] });
    const run = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(run.status).toBe(1);
    const result = readResult(repo);
    expect(result.coverage?.newCode.split?.legacyWorse).toEqual([{ path: 'src/stock.js', before: [12, 13], after: [10, 13] }]);
    expect(result.gates.find((gate) => gate.id === 'new_code_coverage')?.reason).toContain('legacy code the MR modified is less covered than on the target branch (lines: added holds it to not worse than before): src/stock.js 92.3 % → 76.9 %');
    // Not worse than before: passes.
    publishPerFileBaseline(baseSha, { 'src/stock.js': [10, 13] });
    const same = await check(repo, mrPipelineEnv(baseSha, headSha));
    expect(same.status).toBe(0);
    expect(readResult(repo).coverage?.newCode.split?.legacyWorse).toEqual([]);
  });
});

describe('a shallow clone without the merge base', () => {
  it('takes the changed lines from the merge request diffs API', async () => {
    const { repo, headSha } = sample();
    const stock = execFileSync('git', ['diff', '-U0', 'HEAD~1', 'HEAD', '--', 'src/stock.js'], { cwd: repo, encoding: 'utf8' });
    mr.diffRefs = { baseSha: 'b'.repeat(40), headSha, startSha: 'b'.repeat(40) };
    mr.diffs = [
      { old_path: 'src/stock.js', new_path: 'src/stock.js', diff: stock.slice(stock.indexOf('@@')), new_file: false, renamed_file: false, deleted_file: false },
      { old_path: 'docs/old.md', new_path: 'docs/old.md', diff: '', new_file: false, renamed_file: false, deleted_file: true },
    ];
    // A base SHA this clone does not have, as in a GIT_DEPTH: 1 checkout.
    const run = await check(repo, mrPipelineEnv('b'.repeat(40), headSha), ['--no-comment']);
    expect(run.stderr).toBe('');
    const result = readResult(repo);
    expect(result.diff).toMatchObject({ source: 'gitlab-api', baseSha: 'b'.repeat(40), headSha, changedFiles: 1, deletedFiles: 1 });
    expect(result.diff.warnings[0]).toContain('the changed lines come from the GitLab merge request diffs API');
    expect(result.coverage?.newCode.files[0]).toMatchObject({ path: 'src/stock.js', uncoveredLines: [4, 14] });
  });

  it('refuses the API diff when the merge request has moved on, or GitLab left a file out, or HEAD is a merged result', async () => {
    const { repo, headSha } = sample();
    mr.diffRefs = { baseSha: 'b'.repeat(40), headSha: 'd'.repeat(40), startSha: 'b'.repeat(40) };
    mr.diffs = [{ old_path: 'src/stock.js', new_path: 'src/stock.js', diff: '@@ -1 +1 @@\n-y\n+x\n', new_file: false, renamed_file: false, deleted_file: false }];
    const moved = await check(repo, mrPipelineEnv('b'.repeat(40), headSha), ['--no-comment']);
    expect(moved.status).toBe(3);
    expect(moved.stderr).toContain(`The merge request has moved on to dddddddddddd since this pipeline's commit ${headSha.slice(0, 12)}`);
    expectNoStackTrace(moved.stderr);

    mr.diffRefs = { baseSha: 'b'.repeat(40), headSha, startSha: 'b'.repeat(40) };
    mr.diffs.push({ old_path: 'src/huge.js', new_path: 'src/huge.js', diff: '', new_file: false, renamed_file: false, deleted_file: false, a_mode: '100644', b_mode: '100644' });
    const leftOut = await check(repo, mrPipelineEnv('b'.repeat(40), headSha), ['--no-comment']);
    expect(leftOut.status).toBe(3);
    expect(leftOut.stderr).toContain('GitLab left out the diff of 1 file over its diff limits (src/huge.js)');
    expect(leftOut.stderr).toContain('GIT_DEPTH');

    const merged = await check(repo, mrPipelineEnv('b'.repeat(40), headSha, { CI_MERGE_REQUEST_EVENT_TYPE: 'merged_result' }), ['--no-comment']);
    expect(merged.status).toBe(3);
    expect(merged.stderr).toContain('In a merged-results pipeline');
  });
});

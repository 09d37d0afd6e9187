/**
 * The GitLab steps of `qgate check` in process (`runCheck`, what the CLI calls), against the
 * loopback fake GitLab: the same journeys as test/e2e/gitlab-comment.test.ts, which runs the
 * built CLI, but here the coverage of src/gitlab and src/run-gitlab.ts is measured.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../scripts/make-sample-repo.mjs';
import type { QgateResult } from '../src/model/result.js';
import { runCheck, type CheckOptions } from '../src/run.js';
import { startFakeGitLab, type FakeGitLab, type FakeMergeRequest } from './support/fake-gitlab.js';
import { passingResult } from './render/result-fixtures.js';

const TOKEN = 'glpat-in-process-SECRET-0123456789';
const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

let gitlab: FakeGitLab;
let mr: FakeMergeRequest;
beforeEach(async () => {
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 9, username: 'bot' }] });
  gitlab.addProject({ id: 31, pathWithNamespace: 'acme/inventory' });
  mr = gitlab.addMergeRequest(31, { iid: 8, sourceBranch: 'feature/low-stock' });
});
afterEach(async () => {
  await gitlab.close();
});

function sample(): { repo: string; baseSha: string; headSha: string } {
  const made = makeSampleRepo(tmpdir()) as { repo: string; baseSha: string };
  created.push(made.repo);
  return { ...made, headSha: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: made.repo, encoding: 'utf8' }).trim() };
}

/** Time that never waits: `sleep` records the wait and moves `now` on by it. */
function virtualTime(): { now: () => Date; sleep: (ms: number) => Promise<void>; waits: number[] } {
  let offset = 0;
  const waits: number[] = [];
  return {
    now: () => new Date(Date.now() + offset),
    sleep: (ms) => {
      waits.push(ms);
      offset += ms;
      return Promise.resolve();
    },
    waits,
  };
}

async function check(
  repo: string,
  env: Record<string, string>,
  options: Partial<CheckOptions> = {},
  time: Pick<ReturnType<typeof virtualTime>, 'now' | 'sleep'> = { now: () => new Date(), sleep: () => Promise.reject(new Error('this test expects no retry')) },
): Promise<{ result: QgateResult; exitCode: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const outcome = await runCheck(
    { out: 'qgate-report', coverage: ['coverage/lcov.info'], cucumber: [], comment: true, ...options },
    {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      now: time.now,
      sleep: time.sleep,
    },
  );
  return { ...outcome, stdout, stderr };
}

function ciEnv(extra: Record<string, string>): Record<string, string> {
  return {
    CI_API_V4_URL: gitlab.apiUrl,
    CI_PROJECT_ID: '31',
    CI_PROJECT_URL: 'https://gitlab.example.com/acme/inventory',
    CI_DEFAULT_BRANCH: 'main',
    CI_JOB_NAME: 'qgate',
    CI_PIPELINE_ID: '700',
    QGATE_GITLAB_TOKEN: TOKEN,
    ...extra,
  };
}

describe('runCheck with GitLab', () => {
  it('in an MR pipeline: compares with the baseline, then creates and later edits the sticky note', async () => {
    const { repo, baseSha, headSha } = sample();
    const project = gitlab.state.projects[0]!;
    const passing = passingResult();
    const baseline = { ...passing, generatedAt: '2026-11-20T00:00:00Z', diff: { ...passing.diff, headSha: 'c'.repeat(40) }, coverage: { ...passing.coverage!, overall: { covered: 80, total: 100, percent: 80, files: 3 } } };
    project.pipelines.push({ id: 1, ref: 'main', sha: 'c'.repeat(40), status: 'success', createdAt: '2026-11-20T00:00:00Z', jobs: [{ id: 2, name: 'qgate', status: 'success', artifacts: new Map([['qgate-report/result.json', JSON.stringify(baseline)]]) }] });
    const env = ciEnv({ CI_MERGE_REQUEST_IID: '8', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_SHA: headSha });
    const first = await check(repo, env);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(1);
    expect(first.result.baseline).toMatchObject({ status: 'found', overallCoveragePercent: 80 });
    expect(first.stdout).toContain('qgate: comment created: https://gitlab.example.com/acme/inventory/-/merge_requests/8#note_');
    expect(mr.notes[0]!.body).toBe(readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8'));
    expect(mr.notes[0]!.body).toContain('<!-- qgate:verdict=fail pipeline=700 -->');

    const second = await check(repo, { ...env, CI_PIPELINE_ID: '701' });
    expect(second.stdout).toContain('qgate: comment updated');
    expect(mr.notes).toHaveLength(1);
    expect(JSON.stringify(first) + JSON.stringify(second)).not.toContain(TOKEN);
  });

  it('in a branch pipeline: finds the open MR, takes its target branch, and records a missing baseline', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, ciEnv({ CI_COMMIT_BRANCH: 'feature/low-stock', CI_COMMIT_SHA: headSha }), { base: baseSha });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('qgate: comment created');
    expect(run.result.baseline).toMatchObject({ status: 'not-found', ref: 'main', job: 'qgate' });
  });

  it('in a branch pipeline without origin/main: diffs from the merge base GitLab names for the MR', async () => {
    const { repo, baseSha, headSha } = sample();
    mr.diffRefs = { baseSha, headSha, startSha: baseSha };
    const run = await check(repo, ciEnv({ CI_COMMIT_BRANCH: 'feature/low-stock', CI_COMMIT_SHA: headSha }));
    expect(run.stderr).toBe('');
    expect(run.result.diff).toMatchObject({ source: 'git', baseSha, changedFiles: 4 });
    expect(run.result.diff.warnings).toContain(`no --base and no origin/main: the base is merge request !8's merge base ${baseSha.slice(0, 12)}, from GitLab`);
    expect(run.stdout).toContain('qgate: comment created');
    // One lookup serves both the diff and the comment.
    expect(gitlab.requests.filter((request) => request.path === '/api/v4/projects/31/merge_requests')).toHaveLength(1);

    mr.state = 'closed';
    const none = await check(repo, ciEnv({ CI_COMMIT_BRANCH: 'feature/low-stock', CI_COMMIT_SHA: headSha })).catch((error: unknown) => error);
    expect((none as Error).message).toContain('GitLab named no merge request base either (no open merge request has feature/low-stock as its source branch).');
  });

  it('without a token in CI: the baseline is unavailable, and says why', async () => {
    const { repo, baseSha, headSha } = sample();
    const env = ciEnv({ CI_MERGE_REQUEST_IID: '8', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_SHA: headSha });
    delete env.QGATE_GITLAB_TOKEN;
    const run = await check(repo, env);
    expect(run.result.baseline).toMatchObject({ status: 'unavailable', reason: "no token to read the target branch's artifacts" });
    expect(readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8')).toContain("No baseline from main: no token to read the target branch's artifacts.");
  });

  it('on the default branch: no lookup, no comment; the baseline is the branch\'s own previous result', async () => {
    const { repo, baseSha, headSha } = sample();
    const run = await check(repo, ciEnv({ CI_COMMIT_BRANCH: 'main', CI_COMMIT_SHA: headSha }), { base: baseSha });
    expect(run.stdout).not.toContain('comment');
    expect(run.stderr).toBe('');
    // No earlier pipeline here: looked for on main itself, and said so.
    expect(run.result.baseline).toMatchObject({ status: 'not-found', ref: 'main' });
    expect(gitlab.requests.some((request) => request.path.includes('/merge_requests'))).toBe(false);
    expect(gitlab.requests.length).toBeGreaterThan(0);
    expect(gitlab.requests.every((request) => request.method === 'GET')).toBe(true);
  });

  it('with the comment required, a refused token is exit 3 after the files are written', async () => {
    const { repo, baseSha, headSha } = sample();
    execFileSync('sh', ['-c', 'printf "gitlab:\\n  comment:\\n    required: true\\n  baseline:\\n    enabled: false\\n" > .qgate.yml'], { cwd: repo });
    const run = await check(repo, ciEnv({ CI_MERGE_REQUEST_IID: '8', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha, CI_COMMIT_SHA: headSha, QGATE_GITLAB_TOKEN: 'wrong-token' }));
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('qgate: error GITLAB_AUTH: GitLab refused QGATE_GITLAB_TOKEN (GET /api/v4/user: 401 Unauthorized).');
    expect(run.result.baseline).toMatchObject({ status: 'not-requested', reason: 'gitlab.baseline.enabled is false' });
    expect(JSON.parse(readFileSync(join(repo, 'qgate-report', 'result.json'), 'utf8')).verdict).toBe('fail');
  });

  it('from a shallow clone: takes the MR diffs from GitLab when the MR head is this commit', async () => {
    const { repo, headSha } = sample();
    const stock = execFileSync('git', ['diff', '-U0', 'HEAD~1', 'HEAD', '--', 'src/stock.js'], { cwd: repo, encoding: 'utf8' });
    mr.diffRefs = { baseSha: 'b'.repeat(40), headSha, startSha: 'b'.repeat(40) };
    mr.diffs = [{ old_path: 'src/stock.js', new_path: 'src/stock.js', diff: stock.slice(stock.indexOf('@@')), new_file: false, renamed_file: false, deleted_file: false }];
    const run = await check(repo, ciEnv({ CI_MERGE_REQUEST_IID: '8', CI_MERGE_REQUEST_DIFF_BASE_SHA: 'b'.repeat(40), CI_COMMIT_SHA: headSha }), { comment: false });
    expect(run.result.diff.source).toBe('gitlab-api');
    expect(run.result.coverage?.newCode).toMatchObject({ covered: 5, total: 7 });
  });

  it('waits out a 429 with Retry-After: 2 on the note, then succeeds', async () => {
    const { repo, baseSha, headSha } = sample();
    gitlab.faults.push({ match: (request) => request.method === 'POST', status: 429, headers: { 'retry-after': '2' }, body: 'Retry later', times: 1 });
    const time = virtualTime();
    const run = await check(repo, ciEnv({ CI_MERGE_REQUEST_IID: '8', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha, CI_COMMIT_SHA: headSha }), {}, time);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('qgate: comment created');
    expect(gitlab.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    // Exactly the 2 s GitLab asked for, not the default back-off.
    expect(time.waits).toEqual([2000]);
    expect(mr.notes).toHaveLength(1);
  });

  it('retries two 500s with doubling back-off, then succeeds', async () => {
    const { repo, baseSha, headSha } = sample();
    gitlab.faults.push({ match: (request) => request.path.endsWith('/notes') && request.method === 'GET', status: 500, body: '{"message":"500 Internal Server Error"}', times: 2 });
    const time = virtualTime();
    const run = await check(repo, ciEnv({ CI_MERGE_REQUEST_IID: '8', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha, CI_COMMIT_SHA: headSha }), {}, time);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('qgate: comment created');
    expect(time.waits).toEqual([500, 1000]);
    expect(mr.notes).toHaveLength(1);
  });

  it('when the baseline artifact keeps failing, gives up after 5 attempts and still comments', async () => {
    const { repo, baseSha, headSha } = sample();
    const project = gitlab.state.projects[0]!;
    project.pipelines.push({ id: 1, ref: 'main', sha: 'c'.repeat(40), status: 'success', createdAt: '2026-11-20T00:00:00Z', jobs: [{ id: 2, name: 'qgate', status: 'success', artifacts: new Map([['qgate-report/result.json', '{}']]) }] });
    gitlab.faults.push({ match: (request) => request.path.includes('/artifacts/'), status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', times: 99 });
    const time = virtualTime();
    const run = await check(repo, ciEnv({ CI_MERGE_REQUEST_IID: '8', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_SHA: headSha }), {}, time);
    expect(run.stderr).toContain('502 Bad Gateway (after 5 attempts)');
    expect(run.result.baseline).toMatchObject({ status: 'unavailable' });
    expect(run.stdout).toContain('qgate: comment created');
    expect(time.waits).toEqual([500, 1000, 2000, 4000]);
  });
});

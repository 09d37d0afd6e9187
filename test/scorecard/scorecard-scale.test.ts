/**
 * The scorecard at scale through the GraphQL collector: `parallel: N` shards (from CI_NODE_INDEX/
 * CI_NODE_TOTAL or --shard) that together score exactly the unsharded set, a merge that refuses a
 * missing shard, and a --state file that makes a re-run skip the projects it already collected.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCiContext } from '../../src/ci-env.js';
import { QgateError } from '../../src/errors.js';
import { DEFAULT_POLICY } from '../../src/gitlab/transport.js';
import { parseShard } from '../../src/scorecard/collect-api.js';
import { runScorecard, type ScorecardContext } from '../../src/scorecard/run-scorecard.js';
import { startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab.js';
import { ARTIFACT, NOW, resultJson, TOKEN } from './group-fixture.js';

const PROJECTS = 30;
let gitlab: FakeGitLab;
let work: string;

beforeAll(async () => {
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'lead' }], rateLimit: { limit: 100_000, windowMs: 60_000 } });
  gitlab.state.groups.push({ id: 1, fullPath: 'acme' });
  for (let i = 0; i < PROJECTS; i += 1) {
    const project = gitlab.addProject({ id: 100 + i, pathWithNamespace: `acme/p-${String(i).padStart(2, '0')}` });
    project.files.set('README.md', `# p${i}\n\n${'Useful words. '.repeat(20)}\n`);
    const text = resultJson({ at: '2026-10-31T10:00:00.000Z', coverage: 50 + i, gate: i % 2 === 0 ? 'pass' : 'fail' });
    project.pipelines.push({ id: 5000 + i, ref: 'main', sha: String(5000 + i).padStart(40, '0'), status: 'success', createdAt: '2026-10-31T10:00:00Z', jobs: [{ id: 50_000 + i, name: 'qgate', status: 'success', artifacts: new Map([[ARTIFACT, text]]) }] });
  }
  work = mkdtempSync(join(tmpdir(), 'qgate-scorecard-scale-'));
}, 60_000);

afterAll(async () => {
  await gitlab.close();
  rmSync(work, { recursive: true, force: true });
});

function context(env: Record<string, string> = {}): ScorecardContext & { err: string[] } {
  const err: string[] = [];
  return { cwd: work, env: { QGATE_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: gitlab.apiUrl, ...env }, stdout: { write: () => true }, stderr: { write: (text: string) => err.push(text) }, now: () => NOW, gitlabPolicy: { ...DEFAULT_POLICY, backoffMs: 1 }, err };
}

function paths(file: string): string[] {
  return (JSON.parse(readFileSync(join(work, file), 'utf8')) as { projects: Array<{ path: string }> }).projects.map((project) => project.path).sort();
}

describe('the shard of a parallel: N job', () => {
  it('comes from --shard first, then CI_NODE_INDEX/CI_NODE_TOTAL, else 1/1', () => {
    expect(parseShard('2/4', readCiContext({ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '3' }).parallelSlice)).toEqual({ index: 2, total: 4 });
    expect(parseShard(undefined, readCiContext({ CI_NODE_INDEX: '3', CI_NODE_TOTAL: '3' }).parallelSlice)).toEqual({ index: 3, total: 3 });
    expect(parseShard(undefined, readCiContext({ CI_NODE_INDEX: '3' }).parallelSlice)).toEqual({ index: 1, total: 1 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(() => parseShard(bad, null)).toThrow(QgateError);
  });
});

describe('sharded collection and merge', () => {
  it('three shards score every project exactly once, and their merge equals the unsharded run', async () => {
    const whole = await runScorecard({ group: 'acme', out: 'whole', concurrency: 4, timeoutSeconds: 120 }, context());
    expect(whole.exitCode).toBe(0);
    const shardFiles: string[] = [];
    const seen: string[] = [];
    for (let index = 1; index <= 3; index += 1) {
      const out = `shard-${index}`;
      const outcome = await runScorecard({ group: 'acme', out, concurrency: 4, timeoutSeconds: 120 }, context({ CI_NODE_INDEX: String(index), CI_NODE_TOTAL: '3' }));
      expect(outcome.exitCode).toBe(0);
      expect(outcome.scorecard.projects).toHaveLength(PROJECTS / 3);
      shardFiles.push(join(out, 'evidence.json'));
      seen.push(...paths(join(out, 'evidence.json')));
    }
    expect(seen.sort()).toEqual(paths(join('whole', 'scorecard.json')));
    expect(new Set(seen).size).toBe(PROJECTS);

    const merged = await runScorecard({ merge: shardFiles, out: 'merged', concurrency: 4, timeoutSeconds: 120 }, context());
    expect(merged.exitCode).toBe(0);
    const levelsOf = (scorecard: typeof merged.scorecard) => scorecard.projects.map((project) => [project.path, project.level]).sort();
    expect(levelsOf(merged.scorecard)).toEqual(levelsOf(whole.scorecard));
    expect(merged.scorecard.summary.levels).toEqual(whole.scorecard.summary.levels);
  }, 120_000);

  it('refuses to merge an incomplete set of shards, naming the missing one', async () => {
    const run = runScorecard({ merge: [join('shard-1', 'evidence.json'), join('shard-3', 'evidence.json')], out: 'partial', concurrency: 4, timeoutSeconds: 120 }, context());
    await expect(run).rejects.toThrow(/1 of 3 shards missing \(2\)/);
    expect(existsSync(join(work, 'partial'))).toBe(false);
  });
});

describe('a resumable run', () => {
  it('skips the projects its state file already holds, and scores the same', async () => {
    const perProject = (from: number) => gitlab.requests.slice(from).filter((request) => /\/projects\/\d+\//.test(request.path)).length;
    const start = gitlab.requests.length;
    const first = await runScorecard({ group: 'acme', out: 'state-1', state: 'state.jsonl', concurrency: 4, timeoutSeconds: 120 }, context());
    expect(first.exitCode).toBe(0);
    expect(readFileSync(join(work, 'state.jsonl'), 'utf8').trim().split('\n')).toHaveLength(PROJECTS);
    const firstTotal = gitlab.requests.length - start;
    expect(perProject(start)).toBeGreaterThanOrEqual(PROJECTS); // at least each project's artifact
    const before = gitlab.requests.length;
    const second = await runScorecard({ group: 'acme', out: 'state-2', state: 'state.jsonl', concurrency: 4, timeoutSeconds: 120 }, context());
    expect(second.exitCode).toBe(0);
    // Only the group walk is repeated; no project is asked again.
    expect(perProject(before)).toBe(0);
    expect(gitlab.requests.length - before).toBeLessThan(firstTotal / 2);
    expect(paths(join('state-2', 'scorecard.json'))).toEqual(paths(join('state-1', 'scorecard.json')));
  }, 120_000);
});

describe('a GitLab Community Edition server', () => {
  it('is asked once more without the EE-only BranchRule.approvalRules, then for every project without it', async () => {
    gitlab.state.edition = 'ce';
    try {
      const before = gitlab.requests.length;
      const outcome = await runScorecard({ group: 'acme', out: 'ce', concurrency: 1, timeoutSeconds: 120 }, context());
      expect(outcome.exitCode).toBe(0);
      expect(outcome.scorecard.projects.filter((project) => project.state === 'active')).toHaveLength(PROJECTS);
      const graphql = gitlab.requests.slice(before).filter((request) => request.path === '/api/graphql');
      // The group walk, one refused project query, then one query per project.
      expect(graphql.filter((request) => request.body.includes('approvalRules'))).toHaveLength(1);
      expect(graphql.filter((request) => request.body.includes('scorecardProject') && !request.body.includes('approvalRules'))).toHaveLength(PROJECTS);
    } finally {
      gitlab.state.edition = 'ee';
    }
  }, 120_000);
});

/**
 * Which projects are scored and what one bad answer costs, through collectProject/listGroup
 * with a small in-memory port: shared-in projects left out, forks and empty repositories listed
 * and not scored (configurable), a running pipeline not taken as the latest, and one unreadable
 * artifact making the result checks "no data" with the reason while the file checks still score.
 */
import { describe, expect, it } from 'vitest';
import type { GitLabPort, GitLabProject } from '../../src/gitlab/port.js';
import { collectProject, listGroup } from '../../src/scorecard/collect-gitlab.js';
import { buildScorecard } from '../../src/scorecard/evaluate.js';
import { parseRubric } from '../../src/scorecard/load-rubric.js';
import { readFileSync } from 'node:fs';
import { resultJson } from './group-fixture.js';

const rubric = parseRubric(readFileSync('gates/scorecard.yml', 'utf8'), 'gates/scorecard.yml');
const NOW = new Date('2026-11-02T12:00:00Z');

function project(path: string, extra: Partial<GitLabProject> = {}): GitLabProject {
  return { id: path.length, pathWithNamespace: path, name: path.split('/').at(-1) ?? path, webUrl: '', defaultBranch: 'main', archived: false, ...extra };
}

function port(artifact: () => Promise<string | null>, pipelines = [{ id: 2, status: 'running' }, { id: 1, status: 'success' }]): GitLabPort {
  return {
    listGroupProjects: async () => [project('acme/api'), project('other/shared-in'), project('acme/fork', { forked: true })],
    listPipelines: async () => pipelines.map((pipeline) => ({ ...pipeline, sha: 'a', ref: 'main', createdAt: '', webUrl: '' })),
    listPipelineJobs: async (_project: unknown, pipelineId: number) => [{ id: pipelineId * 10, name: 'qgate', status: 'success', hasArtifacts: true, finishedAt: null }],
    downloadArtifactFileByJob: async (_project: unknown, jobId: number) => (jobId === 20 ? 'running pipelines must not be read' : artifact()),
    listRepositoryTree: async (_project: unknown, query: { path?: string }) => (query.path ? [] : [{ path: 'README.md', type: 'blob' }, { path: 'CODEOWNERS', type: 'blob' }]),
    getRepositoryFile: async (_project: unknown, path: string) => (path === 'README.md' ? { size: 500, text: '' } : null),
  } as unknown as GitLabPort;
}

describe('the right projects', () => {
  it('leaves out projects shared into the group', async () => {
    const listed = await listGroup(port(async () => null), 'acme');
    expect(listed.map((item) => item.pathWithNamespace)).toEqual(['acme/api', 'acme/fork']);
  });

  it('lists forks and empty repositories without scoring them, and scores forks when the rubric says so', async () => {
    const fork = await collectProject(port(async () => null), project('acme/fork', { forked: true }), rubric);
    expect(fork).toMatchObject({ state: 'fork', notes: ['a fork: not scored (rubric projects.forks)'] });
    const scored = await collectProject(port(async () => null), project('acme/fork', { forked: true }), { ...rubric, projects: { ...rubric.projects, forks: 'score' } });
    expect(scored.state).toBe('active');
    const empty = await collectProject(port(async () => null), project('acme/empty', { defaultBranch: null }), rubric);
    expect(empty.state).toBe('empty');
    const card = buildScorecard({ rubric: { ...rubric, projects: { archived: 'list', forks: 'skip', empty: 'list' } }, evidence: [fork, empty], now: NOW, version: 't', source: { kind: 'gitlab', group: 'acme' } });
    expect(card.projects.map((item) => [item.path, item.state, item.level])).toEqual([['acme/empty', 'empty', null]]);
  });

  it('reads the newest finished pipeline, not a running one', async () => {
    const evidence = await collectProject(port(async () => resultJson({ at: '2026-10-31T10:00:00Z', coverage: 85, gate: 'pass' })), project('acme/api'), rubric);
    expect(evidence.results).toHaveLength(1);
    expect(evidence.notes).toEqual([]);
  });

  it('one bad artifact makes the result checks "no data" with the reason, and the file checks still score', async () => {
    for (const [artifact, reason] of [
      [async () => 'not json', 'is not valid JSON'],
      [async () => JSON.stringify({ schemaVersion: 99, tool: { name: 'qgate', version: '9.0.0' }, generatedAt: '2026-10-31T10:00:00Z' }), 'has schemaVersion 99'],
      [async () => Promise.reject(new Error('GET /api/v4/projects/8/jobs/10/artifacts/qgate-report/result.json: response larger than 256 MiB')), 'response larger than 256 MiB'],
    ] as const) {
      const evidence = await collectProject(port(artifact), project('acme/api'), rubric);
      expect(evidence.state).toBe('active');
      const card = buildScorecard({ rubric, evidence: [evidence], now: NOW, version: 't', source: { kind: 'gitlab', group: 'acme' } });
      const checks = new Map(card.projects[0]?.checks.map((check) => [check.id, check]));
      expect(checks.get('coverage-50')).toMatchObject({ status: 'no-data', value: expect.stringContaining(reason) });
      expect(checks.get('readme')).toMatchObject({ status: 'pass' });
      expect(checks.get('codeowners')).toMatchObject({ status: 'pass' });
      expect(card.summary.failed).toBe(0);
    }
  });
});

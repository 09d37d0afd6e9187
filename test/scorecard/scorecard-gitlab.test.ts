import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/gitlab/transport.js';
import type { Scorecard } from '../../src/scorecard/model.js';
import { runScorecard, type ScorecardContext, type ScorecardOptions } from '../../src/scorecard/run-scorecard.js';
import { startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab.js';
import { FAILING_ID, HOSTILE_CSV, HOSTILE_HTML, NOW, seedGroup, TOKEN, writeEvidenceDir } from './group-fixture.js';

const CLASSIC_RUBRIC = join(import.meta.dirname, 'classic-rubric.yml');
let gitlab: FakeGitLab;
let work: string;

function context(env: Record<string, string> = {}, tty = false): ScorecardContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd: work,
    env: { QGATE_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: gitlab.apiUrl, ...env },
    stdout: { write: (text: string) => out.push(text) },
    stderr: Object.assign({ write: (text: string) => err.push(text) }, tty ? { isTTY: true } : {}),
    now: () => NOW,
    gitlabPolicy: { ...DEFAULT_POLICY, backoffMs: 1, maxAttempts: 3 },
    out,
    err,
  };
}

const options = (extra: Partial<ScorecardOptions>): ScorecardOptions => ({ out: 'out', concurrency: 4, timeoutSeconds: 120, api: 'rest', rubric: CLASSIC_RUBRIC, ...extra });
const read = (dir: string, name: string): string => readFileSync(join(work, dir, name), 'utf8');

beforeAll(async () => {
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'lead' }], groupProjectsPerPage: 25 });
  seedGroup(gitlab);
  work = mkdtempSync(join(tmpdir(), 'qgate-scorecard-'));
});

afterAll(async () => {
  await gitlab.close();
  rmSync(work, { recursive: true, force: true });
});

describe('qgate scorecard against a loopback GitLab group of 60 projects', () => {
  let scorecard: Scorecard;
  let ctx: ReturnType<typeof context>;

  beforeAll(async () => {
    gitlab.faults.push({ match: (request) => request.path.startsWith(`/api/v4/projects/${FAILING_ID}/`), status: 500, body: '{"message":"500 Internal Server Error"}', times: 1_000 });
    ctx = context();
    const started = performance.now();
    const outcome = await runScorecard(options({ group: 'acme', out: 'api' }), ctx);
    console.info(`scorecard: 60 projects through the API in ${Math.round(performance.now() - started)} ms, ${gitlab.requests.length} requests`);
    scorecard = outcome.scorecard;
    // One project GitLab keeps failing on: the scorecard is written, and the job exits 3 saying how many and why.
    expect(outcome.exitCode).toBe(3);
    expect(ctx.err.join('')).toMatch(/qgate: error: 1 of \d+ projects not collected: GET \/api\/v4\/projects\/\d+\/pipelines: 500 Internal Server Error/);
    expect(ctx.err.join('')).not.toContain(TOKEN);
    gitlab.faults.length = 0;
  });

  it('reads every page of the group and its subgroups, and nothing outside it', () => {
    const pages = gitlab.requests.filter((request) => request.path === '/api/v4/groups/acme/projects').map((request) => request.query.get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(scorecard.projects).toHaveLength(60);
    expect(scorecard.projects.map((project) => project.path)).not.toContain('other/outside');
    expect(gitlab.requests.some((request) => request.path.startsWith('/api/v4/projects/999/'))).toBe(false);
  });

  it('gives the hand-computed level to every project', () => {
    const expected = (i: number): string | null => (i === 4 || i === 9 ? null : (['gold', 'silver', 'bronze', 'none', 'none'] as const)[i % 5]!);
    const byPath = new Map(scorecard.projects.map((project) => [project.path.split('/').at(-1), project]));
    for (let i = 0; i < 60; i += 1) expect([i, byPath.get(`p-${String(i).padStart(2, '0')}`)?.level]).toEqual([i, expected(i)]);
    expect(scorecard.summary).toEqual({
      projects: 60,
      levels: [
        { id: 'gold', name: 'Gold', count: 12 },
        { id: 'silver', name: 'Silver', count: 12 },
        { id: 'bronze', name: 'Bronze', count: 12 },
        { id: 'none', name: 'None', count: 22 },
      ],
      archived: 1,
      forks: 0,
      empty: 0,
      failed: 1,
    });
  });

  it('marks the project that answers 500 and the archived one, and goes on', () => {
    const failed = scorecard.projects.find((project) => project.path === 'acme/p-04')!;
    expect(failed.state).toBe('failed');
    expect(failed.failure).toMatch(/500 Internal Server Error \(after 3 attempts\)/);
    expect(failed.checks.every((check) => check.status === 'missing')).toBe(true);
    const archived = scorecard.projects.find((project) => project.path === 'acme/p-09')!;
    expect(archived).toMatchObject({ state: 'archived', level: null, checks: [], notes: ['archived: skipped'] });
    expect(gitlab.requests.some((request) => request.path.startsWith('/api/v4/projects/109/'))).toBe(false);
    expect(ctx.err.join('')).toContain('acme/p-04 could not be read and is marked "not collected"');
  });

  it('builds the trend from the last default-branch results, the newest attempt of a retried job, oldest first', () => {
    const gold = scorecard.projects.find((project) => project.path === 'acme/p-00')!;
    expect(gold.trend).toEqual([
      { generatedAt: '2026-10-20T10:00:00.000Z', overallCoverage: 81 },
      { generatedAt: '2026-10-25T10:00:00.000Z', overallCoverage: 83 },
      { generatedAt: '2026-10-31T10:00:00.000Z', overallCoverage: 85 },
    ]);
  });

  it('writes the CSV the hand-computed way: RFC 4180 quoting, formula cells made inert', () => {
    const csv = read('api', 'scorecard.csv');
    const lines = csv.split('\r\n');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines[0]).toBe('project,name,state,level,qgate-runs,qgate-runs_measure,readme,readme_measure,coverage-50,coverage-50_measure,new-code-gate,new-code-gate_measure,coverage-70,coverage-70_measure,e2e,e2e_measure,codeowners,codeowners_measure,coverage-80,coverage-80_measure,performance,performance_measure,mutation-60,mutation-60_measure,adr,adr_measure,latest_overall_coverage,coverage_exclusions_added,web_url,failure');
    const row = (path: string): string | undefined => lines.find((line) => line.startsWith(`${path},`));
    const url = (path: string): string => `${gitlab.url}/${path}`;
    expect(row('acme/p-00')).toBe(`acme/p-00,p-00,active,gold,pass,2,pass,408,pass,85,pass,85,pass,85,pass,10,pass,1,pass,85,pass,0,pass,70,pass,1,85,,${url('acme/p-00')},`);
    expect(row('acme/p-01')).toBe(`acme/p-01,p-01,active,silver,pass,3,pass,408,pass,75,pass,85,pass,75,pass,4,pass,1,fail,75,fail,,fail,,fail,0,75,,${url('acme/p-01')},`);
    expect(row('acme/p-02')).toBe(`acme/p-02,p-02,active,bronze,pass,5,pass,408,pass,55,fail,40,fail,55,fail,2,fail,0,fail,55,fail,,fail,,fail,0,55,,${url('acme/p-02')},`);
    expect(row('acme/p-03')).toBe(`acme/p-03,p-03,active,none,fail,,pass,408,fail,,fail,,fail,,fail,,fail,0,fail,,fail,,fail,,fail,0,,,${url('acme/p-03')},`);
    expect(row('acme/p-04')).toBe(
      `acme/p-04,p-04,failed,,${Array(11).fill('missing,').join(',')},,,${url('acme/p-04')},GET /api/v4/projects/${FAILING_ID}/pipelines: 500 Internal Server Error (after 3 attempts)`,
    );
    expect(row('acme/p-09')).toBe(`acme/p-09,p-09,archived,,${Array(22).fill('').join(',')},,,${url('acme/p-09')},`);
    expect(row('acme/p-19')).toBe(
      `acme/p-19,"'=HYPERLINK(""http://evil.example"",""x""),y",active,none,pass,4,fail,40,pass,90,pass,85,pass,90,fail,,pass,1,pass,90,fail,,fail,,fail,0,90,,${url('acme/p-19')},`,
    );
    expect(lines).toHaveLength(62);
  });

  it('renders hostile project names inert in the HTML', () => {
    const html = read('api', 'scorecard.html');
    expect(html).not.toContain(HOSTILE_HTML);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot;&#x27;&amp;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(HOSTILE_CSV.replace(/"/g, '&quot;').replace(/=/g, '&#x3D;'));
  });

  it('never writes the token, and writes versioned JSON', () => {
    for (const name of readdirSync(join(work, 'api'))) expect(read('api', name)).not.toContain(TOKEN);
    expect(ctx.out.join('') + ctx.err.join('')).not.toContain(TOKEN);
    const json = JSON.parse(read('api', 'scorecard.json')) as Scorecard;
    expect(json.schemaVersion).toBe(1);
    expect(json.source).toEqual({ kind: 'gitlab', group: 'acme' });
    expect(ctx.out.join('')).toContain('qgate scorecard: 60 projects — Gold 12, Silver 12, Bronze 12, None 22; 1 archived, 0 forks, 0 empty, 1 not collected.');
  });

  it('draws progress on a terminal only', async () => {
    expect(ctx.err.join('')).not.toContain('scorecard [');
    const tty = context({}, true);
    await runScorecard(options({ group: 'acme/web', out: 'tty' }), tty);
    expect(tty.err.join('')).toContain('] 20/20 projects\n');
  });

  it('offline --from DIR gives the same scorecard.json as the API from the same data', async () => {
    const api = await runScorecard(options({ group: 'acme', out: 'api-again' }), context());
    const dir = join(work, 'evidence');
    writeEvidenceDir(gitlab, dir);
    const offline = await runScorecard(options({ from: 'evidence', out: 'offline' }), context({ QGATE_GITLAB_TOKEN: '', CI_API_V4_URL: '' }));
    expect(offline.scorecard.source).toEqual({ kind: 'directory', path: 'evidence' });
    const strip = (text: string): unknown => ({ ...(JSON.parse(text) as Scorecard), source: null });
    expect(strip(read('offline', 'scorecard.json'))).toEqual(strip(read('api-again', 'scorecard.json')));
    expect(api.scorecard.summary.failed).toBe(0);
    expect(read('offline', 'scorecard.csv')).toBe(read('api-again', 'scorecard.csv'));
  });

  it('--from says on stderr what it could not read, and when a folder holds no project', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(work, 'garbage', 'acme', 'bad', 'results'), { recursive: true });
    writeFileSync(join(work, 'garbage', 'acme', 'bad', 'results', '1.json'), '{garbage');
    const garbage = context({ QGATE_GITLAB_TOKEN: '', CI_API_V4_URL: '' });
    const outcome = await runScorecard(options({ from: 'garbage', out: 'garbage-out' }), garbage);
    expect(outcome.exitCode).toBe(0);
    expect(garbage.out.join('')).toContain('qgate scorecard: 1 project — ');
    expect(garbage.err.join('')).toContain('qgate: warning: acme/bad: results/1.json is not valid JSON; skipped.');
    mkdirSync(join(work, 'empty'), { recursive: true });
    const empty = context({ QGATE_GITLAB_TOKEN: '', CI_API_V4_URL: '' });
    await runScorecard(options({ from: 'empty', out: 'empty-out' }), empty);
    expect(empty.err.join('')).toContain('qgate: warning: empty holds no project');
  });

  it('says what to do without a token, and when the group cannot be listed', async () => {
    await expect(runScorecard(options({ group: 'acme' }), context({ QGATE_GITLAB_TOKEN: '', GITLAB_TOKEN: '' }))).rejects.toMatchObject({ code: 'GITLAB_TOKEN_MISSING', exitCode: 3 });
    const error = await runScorecard(options({ group: 'nope' }), context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'GITLAB_FAILED' });
    expect((error as Error).message).toContain('404 Group Not Found');
    await expect(runScorecard(options({}), context())).rejects.toMatchObject({ code: 'SCORECARD_SOURCE_MISSING', exitCode: 2 });
  });
});

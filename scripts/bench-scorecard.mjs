#!/usr/bin/env node
/**
 * `npm run bench:scorecard`: the built `qgate scorecard` (dist/) against the loopback fake GitLab
 * (test/support/fake-gitlab.ts) holding a generated group of 2,000 projects of every kind the
 * scorecard must handle: healthy, half-done, empty, fork, shared-in, archived, broken artifact.
 * Prints requests per project (total / scored, and per endpoint), wall time and peak RSS.
 * A benchmark, not a test: nothing here fails on a figure except the ≤ 5 requests/project target.
 *
 *   node scripts/bench-scorecard.mjs [--projects 2000] [--concurrency 8]
 *
 * The fake is TypeScript; it is transpiled (typescript's transpileModule, types only stripped)
 * into node_modules/.cache/qgate-bench-scorecard/ so that its `graphql` import resolves.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { projects: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '8' } } });
const count = Number(values.projects);
const TOKEN = 'glpat-BENCH-scorecard-000000';
const ARTIFACT = 'qgate-report/result.json';

// 1. The fake and the fixture's result.json builder, types stripped.
const cache = join(root, 'node_modules', '.cache', 'qgate-bench-scorecard');
rmSync(cache, { recursive: true, force: true });
for (const file of ['test/support/fake-gitlab.ts', 'test/support/fake-gitlab-graphql.ts', 'test/render/result-fixtures.ts', 'test/scorecard/group-fixture.ts']) {
  const source = readFileSync(join(root, file), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } });
  // result-fixtures.ts imports vitest's expect for its golden-file helper, which the bench never calls.
  const text = outputText.replace(/from ['"]vitest['"]/g, `from 'data:text/javascript,export const expect = () => { throw new Error("not in the bench"); };'`);
  const target = join(cache, file.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
const { startFakeGitLab } = await import(pathToFileURL(join(cache, 'test/support/fake-gitlab.js')).href);
const { resultJson } = await import(pathToFileURL(join(cache, 'test/scorecard/group-fixture.js')).href);

// 2. The group: kinds in a fixed rotation, so every run scores the same group.
const KINDS = ['healthy', 'healthy', 'healthy', 'half-done', 'half-done', 'empty', 'fork', 'shared-in', 'archived', 'broken-artifact'];
const README = `# Project\n\n${'This project does useful things. '.repeat(12)}\n`;
const FULL = resultJson({ at: '2026-10-31T10:00:00.000Z', coverage: 85, gate: 'pass', e2e: { total: 5, passed: 5, failed: 0 }, perf: { baseline: true, regressed: 0 }, mutation: 70 });
const HALF = resultJson({ at: '2026-10-30T10:00:00.000Z', coverage: 60, gate: 'fail' });
let pipelineId = 100_000;
function pipeline(text, day, status = 'success') {
  pipelineId += 1;
  return { id: pipelineId, ref: 'main', sha: String(pipelineId).padStart(40, '0'), status, createdAt: `${day}T10:00:00Z`, jobs: [{ id: pipelineId * 10, name: 'qgate', status, artifacts: text === null ? null : new Map([[ARTIFACT, text]]) }] };
}

const gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'lead' }] });
gitlab.state.groups.push({ id: 1, fullPath: 'bench' }, { id: 2, fullPath: 'bench/team-a' }, { id: 3, fullPath: 'bench/team-b' }, { id: 9, fullPath: 'elsewhere' });
const kinds = new Map();
for (let i = 0; i < count; i += 1) {
  const kind = KINDS[i % KINDS.length];
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  const namespace = kind === 'shared-in' ? 'elsewhere' : ['bench', 'bench/team-a', 'bench/team-b'][i % 3];
  const project = gitlab.addProject({ id: 1000 + i, pathWithNamespace: `${namespace}/p-${String(i).padStart(4, '0')}`, ...(kind === 'empty' ? { defaultBranch: null } : {}) });
  if (kind === 'healthy') {
    project.files.set('README.md', README).set('CODEOWNERS', '* @leads\n').set('docs/adr/0001.md', '# 1\n');
    project.pipelines.push(pipeline(FULL, '2026-10-30'), pipeline(FULL, '2026-10-31'));
    project.protection = { protected: true, approvals: 2 };
    project.releases = ['2026-10-15T10:00:00Z'];
    project.environments = [{ name: 'production', tier: 'production', lastDeployedAt: '2026-10-31T11:00:00Z' }];
    project.featureFlags = 2;
    project.fileDates = new Map([['README.md', '2026-09-01T10:00:00Z']]);
    for (let iid = 1; iid <= 3; iid += 1) gitlab.addMergeRequest(project.id, { iid, sourceBranch: `feature/ACME-${iid}-x`, state: 'merged', mergedAt: `2026-10-2${iid}T10:00:00Z` });
  } else if (kind === 'half-done') {
    project.files.set('README.md', README);
    project.pipelines.push(pipeline(HALF, '2026-10-30', 'failed'));
    project.protection = { protected: true, approvals: 0 };
  } else if (kind === 'fork') {
    project.forkedFrom = 'elsewhere/upstream';
  } else if (kind === 'archived') {
    project.archived = true;
  } else if (kind === 'broken-artifact') {
    project.files.set('README.md', README);
    project.pipelines.push(pipeline('{"schemaVersion": 999, "not": "a result"}', '2026-10-31'));
  }
}

// 3. The real CLI, as a child process: its own wall time and peak RSS.
const work = mkdtempSync(join(tmpdir(), 'qgate-bench-scorecard-'));
const wrapper = join(root, 'scripts', 'bench-wrapper.mjs');
const started = performance.now();
const run = await new Promise((done) => {
  // bench-wrapper.mjs runs dist/cli/main.js in-process and reports its peak RSS on stderr.
  const child = spawn(process.execPath, [wrapper, 'scorecard', '--group', 'bench', '--out', join(work, 'out'), '--concurrency', values.concurrency], {
    cwd: work,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, QGATE_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: gitlab.apiUrl },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.on('close', (code) => done({ code, stdout, stderr }));
});
const wallMs = performance.now() - started;
const requests = gitlab.requests;
await gitlab.close();

if (run.code !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  throw new Error(`qgate scorecard exited ${run.code}`);
}
const scorecard = JSON.parse(readFileSync(join(work, 'out', 'scorecard.json'), 'utf8'));
rmSync(work, { recursive: true, force: true });
const listed = scorecard.projects.length;
const scored = scorecard.projects.filter((project) => project.state === 'active').length;
const byEndpoint = new Map();
for (const request of requests) {
  let endpoint = `${request.method} ${request.path.replace(/\/projects\/\d+\//, '/projects/:id/').replace(/\/jobs\/\d+\//, '/jobs/:id/')}`;
  if (request.path.endsWith('/graphql')) endpoint += ` ${/query\s+(\w+)/.exec(JSON.parse(request.body).query ?? '')?.[1] ?? '?'}`;
  byEndpoint.set(endpoint, (byEndpoint.get(endpoint) ?? 0) + 1);
}
const rssKb = /QGATE_BENCH_MAXRSS_KB=(\d+)/.exec(run.stderr)?.[1];
const perScored = requests.length / scored;
const lines = [
  `qgate scorecard bench: ${count} projects generated (${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')})`,
  `  listed ${listed}, scored ${scored} (archived/fork/empty listed, not scored; shared-in left out)`,
  `  requests: ${requests.length} total, ${perScored.toFixed(2)} per scored project, ${(requests.length / listed).toFixed(2)} per listed project (target ≤ 5)`,
  ...[...byEndpoint].sort((a, b) => b[1] - a[1]).map(([endpoint, n]) => `    ${String(n).padStart(6)}  ${endpoint}  (${(n / scored).toFixed(2)}/scored project)`),
  `  wall time: ${(wallMs / 1000).toFixed(1)} s (CLI start to exit, concurrency ${values.concurrency})`,
  `  peak RSS: ${rssKb === undefined ? 'unknown' : `${(Number(rssKb) / 1024).toFixed(0)} MiB`} (the CLI process)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (perScored > 5) {
  process.stderr.write(`bench:scorecard: ${perScored.toFixed(2)} requests per scored project is over the target of 5\n`);
  process.exitCode = 1;
}

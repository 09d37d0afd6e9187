/**
 * Gold is reachable: a scripted repository on its default branch runs the REAL component
 * template's job (templates/qgate.yml: its variables with the inputs substituted, and its
 * script, run by sh with `qgate` on PATH as the built CLI), as a push pipeline of two commits;
 * the result.json it writes is then scored with `qgate scorecard --from`. The command line is
 * never written here: it is whatever the template's script builds, so the test follows the
 * template when its inputs change (an input the test sets and the template no longer has fails
 * the test loudly).
 *
 * Beside the Gold project, the same evidence minus the k6 run makes a Silver project blocked by
 * `performance`, and a library with an `n/a` waiver for it reaches Gold with the waiver shown;
 * an expired waiver is not honoured.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { isolatedGitEnv, runGit } from '../support/isolated-git.js';

const execFileAsync = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(REPO_ROOT, 'dist/cli/main.js');

interface TemplateJob {
  variables: Record<string, string>;
  script: string[];
}

/** The component's job with `inputs` substituted as GitLab would (arrays as a JSON list). */
async function templateJob(inputs: Record<string, unknown>): Promise<TemplateJob> {
  const text = await readFile(join(REPO_ROOT, 'templates/qgate.yml'), 'utf8');
  const [specDoc, jobsDoc] = parseAllDocuments(text);
  const spec = specDoc?.toJS() as { spec: { inputs: Record<string, { default?: unknown }> } };
  for (const name of Object.keys(inputs)) expect(Object.keys(spec.spec.inputs), `templates/qgate.yml has no input "${name}"`).toContain(name);
  const values: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(spec.spec.inputs)) values[name] = name in inputs ? inputs[name] : input.default;
  const render = (value: unknown): string => (Array.isArray(value) ? JSON.stringify(value) : String(value));
  const substituted = String(jobsDoc).replace(/\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]/g, (_, name: string) => render(values[name]));
  const jobs = parseAllDocuments(substituted)[0]?.toJS() as Record<string, { variables?: Record<string, string>; script?: string[] }>;
  const job = jobs[String(values['job-name'])];
  if (!job?.script) throw new Error('the template has no job named by its job-name input');
  return { variables: job.variables ?? {}, script: job.script };
}

let root: string;
let env: Record<string, string>;
let evidence: string;

const CALC = 'export function add(a, b) {\n  return a + b;\n}\n\nexport function mul(a, b) {\n  return a * b;\n}\n';
const README = `# calc\n\n${'A small calculator library used to prove the scorecard levels are reachable. '.repeat(6)}\n\nRun \`npm test\`.\n`;

function lcov(): string {
  return ['TN:', 'SF:src/calc.js', 'FN:1,add', 'FN:5,mul', 'FNDA:3,add', 'FNDA:2,mul', 'FNF:2', 'FNH:2', 'DA:1,1', 'DA:2,3', 'DA:5,1', 'DA:6,2', 'LF:4', 'LH:4', 'end_of_record', ''].join('\n');
}

function cucumber(): string {
  const step = (name: string) => ({ keyword: 'Given ', name, result: { status: 'passed', duration: 1000 } });
  return JSON.stringify([
    {
      uri: 'features/calc.feature', id: 'calc', name: 'Calc', keyword: 'Feature', line: 1,
      elements: [
        { id: 'calc;adds', name: 'adds', keyword: 'Scenario', type: 'scenario', line: 2, steps: [step('two numbers are added')] },
        { id: 'calc;multiplies', name: 'multiplies', keyword: 'Scenario', type: 'scenario', line: 5, steps: [step('two numbers are multiplied')] },
      ],
    },
  ]);
}

function k6(p95: number): string {
  const trend = (value: number) => ({ avg: value * 0.6, min: 1, med: value * 0.5, max: value * 1.5, 'p(90)': value * 0.9, 'p(95)': value });
  return JSON.stringify({
    metrics: {
      http_req_duration: trend(p95),
      http_req_failed: { passes: 0, fails: 500, value: 0 },
      http_reqs: { count: 500, rate: 50 },
      iterations: { count: 500, rate: 50 },
      checks: { passes: 500, fails: 0, value: 1 },
    },
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
  });
}

function mutation(): string {
  const mutant = (id: string, line: number, status: string) => ({ id, mutatorName: 'ArithmeticOperator', replacement: 'a - b', location: { start: { line, column: 10 }, end: { line, column: 15 } }, status });
  return JSON.stringify({
    schemaVersion: '1',
    thresholds: { high: 80, low: 60 },
    files: { 'src/calc.js': { language: 'javascript', source: CALC, mutants: [mutant('1', 2, 'Killed'), mutant('2', 6, 'Killed'), mutant('3', 6, 'Killed'), mutant('4', 2, 'Survived')] } },
  });
}

async function write(base: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(base, path, '..'), { recursive: true });
    await writeFile(join(base, path), content);
  }
}

/** Runs the template's job in `repo` as a default-branch push pipeline; its result.json. */
async function runTemplateJob(repo: string, inputs: Record<string, unknown>, before: string): Promise<Record<string, unknown>> {
  const job = await templateJob(inputs);
  const bin = join(root, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'qgate'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(join(bin, 'qgate'), 0o755);
  const jobEnv = {
    ...env,
    ...job.variables,
    PATH: `${bin}:${env.PATH}`,
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PIPELINE_SOURCE: 'push',
    CI_COMMIT_BRANCH: 'main',
    CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_BEFORE_SHA: before,
    CI_JOB_NAME: 'qgate',
  };
  const outcome = await execFileAsync('sh', ['-ec', job.script.join('\n')], { cwd: repo, env: jobEnv, encoding: 'utf8' }).catch((error: { stdout: string; stderr: string; code: number }) => error);
  const outDir = String(inputs.out ?? 'qgate-report');
  const text = await readFile(join(repo, outDir, 'result.json'), 'utf8').catch(() => {
    throw new Error(`the template's job wrote no result.json:\n${outcome.stdout}\n${outcome.stderr}`);
  });
  return JSON.parse(text) as Record<string, unknown>;
}

async function scorecard(from: string): Promise<{ json: { projects: Array<{ path: string; level: string; checks: Array<{ id: string; status: string; value: string }>; next: { id: string; blocking: Array<{ id: string }> } | null; notes: string[] }> }; stdout: string; code: number }> {
  const out = join(root, 'scorecard-out');
  const run = await execFileAsync(process.execPath, [CLI, 'scorecard', '--from', from, '--out', out, '--rubric', join(import.meta.dirname, 'classic-rubric.yml')], { cwd: root, env: { PATH: env.PATH ?? '' }, encoding: 'utf8' }).then(
    (done) => ({ ...done, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => error,
  );
  const json = JSON.parse(await readFile(join(out, 'scorecard.json'), 'utf8')) as Awaited<ReturnType<typeof scorecard>>['json'];
  return { json, stdout: run.stdout, code: run.code };
}

let gold: Record<string, unknown>;
let library: Record<string, unknown>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qgate-gold-'));
  await mkdir(join(root, 'home'));
  env = isolatedGitEnv(root);
  const repo = join(root, 'calc');
  await mkdir(repo);
  const git = (...args: string[]) => runGit(env, repo, ...args);
  await git('init', '-q', '-b', 'main');
  await write(repo, { 'README.md': README, CODEOWNERS: '* @calc-team\n', 'docs/adr/0001-use-esm.md': '# Use ES modules\n\nAccepted.\n', 'package.json': '{"name":"calc","type":"module"}\n' });
  await git('add', '-A');
  await git('commit', '-q', '-m', 'scaffold');
  const before = await git('rev-parse', 'HEAD');
  // The push: two commits, the second adds the code the new-code gate measures.
  await write(repo, { 'features/calc.feature': 'Feature: Calc\n  Scenario: adds\n' });
  await git('add', '-A');
  await git('commit', '-q', '-m', 'feature file');
  await write(repo, { 'src/calc.js': CALC });
  await git('add', '-A');
  await git('commit', '-q', '-m', 'add and mul');
  // Reports as the test jobs would leave them (not committed: CI artifacts).
  await write(repo, { 'coverage/lcov.info': lcov(), 'reports/cucumber.json': cucumber(), 'reports/k6.json': k6(120), 'reports/k6-baseline.json': k6(118), 'reports/mutation.json': mutation() });

  const inputs = { coverage: 'coverage/lcov.info', cucumber: 'reports/cucumber.json', k6: 'reports/k6.json', 'k6-baseline': 'reports/k6-baseline.json', mutation: 'reports/mutation.json', comment: false };
  gold = await runTemplateJob(repo, inputs, before);
  library = await runTemplateJob(repo, { ...inputs, k6: '', 'k6-baseline': '', out: 'qgate-library' }, before);

  evidence = join(root, 'evidence');
  const checkout = async (target: string) => cp(repo, target, { recursive: true, filter: (source) => !/[/\\](\.git|coverage|reports|qgate-report|qgate-library)$/.test(source) });
  // gold: everything; silver: no k6 run; lib: no k6, n/a waiver; lapsed: no k6, expired waiver.
  await write(evidence, { 'acme/gold/results/main.json': JSON.stringify(gold), 'acme/silver/results/main.json': JSON.stringify(library), 'acme/lib/results/main.json': JSON.stringify(library), 'acme/lapsed/results/main.json': JSON.stringify(library) });
  for (const name of ['gold', 'silver', 'lib', 'lapsed']) await checkout(join(evidence, 'acme', name, 'repo'));
  await write(join(evidence, 'acme/lib/repo'), { '.qgate-scorecard.yml': 'waivers:\n  - check: performance\n    notApplicable: true\n    by: jane.doe\n    reason: a library; no HTTP service to load-test\n' });
  await write(join(evidence, 'acme/lapsed/repo'), { '.qgate-scorecard.yml': 'waivers:\n  - check: performance\n    by: jane.doe\n    reason: k6 suite lands next quarter\n    until: 2020-01-31\n' });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a project doing everything right, through the real component template', () => {
  it('measures the push on the default branch and passes every gate', () => {
    const diff = gold.diff as { range?: { source: string }; changedFiles: number; addedLines: number };
    expect(diff.range?.source).toBe('push');
    expect(diff.changedFiles).toBe(2);
    const gates = gold.gates as Array<{ id: string; status: string; actual: number | null }>;
    expect(gates.find((gate) => gate.id === 'new_code_coverage')).toMatchObject({ status: 'pass', actual: 100 });
    expect(gold.verdict).toBe('pass');
  });

  it('scores Gold; without k6 Silver, blocked by performance; n/a honoured and shown; expired waiver not', async () => {
    const { json, stdout } = await scorecard(evidence);
    const byPath = new Map(json.projects.map((project) => [project.path, project]));
    const goldProject = byPath.get('acme/gold');
    expect(goldProject?.checks.filter((check) => check.status !== 'pass')).toEqual([]);
    expect(goldProject?.level).toBe('gold');
    expect(goldProject?.next).toBeNull();

    const silver = byPath.get('acme/silver');
    expect(silver?.level).toBe('silver');
    expect(silver?.next).toMatchObject({ id: 'gold', blocking: [{ id: 'performance', status: 'fail', value: 'no k6 results' }] });

    const lib = byPath.get('acme/lib');
    expect(lib?.level).toBe('gold');
    expect(lib?.checks.find((check) => check.id === 'performance')).toMatchObject({ status: 'n/a', value: expect.stringContaining('a library; no HTTP service to load-test (jane.doe)') });
    expect(lib?.notes).toContain('n/a: performance by jane.doe: a library; no HTTP service to load-test');

    const lapsed = byPath.get('acme/lapsed');
    expect(lapsed?.level).toBe('silver');
    expect(lapsed?.checks.find((check) => check.id === 'performance')).toMatchObject({ status: 'fail', value: expect.stringContaining('expired 2020-01-31, not honoured') });
    expect(stdout).toMatch(/Gold 2, Silver 2/);
    const markdown = await readFile(join(root, 'scorecard-out', 'scorecard.md'), 'utf8');
    expect(markdown).toContain('| acme | 4 | 2 | 2 | 0 | 0 |');
    expect(markdown).toContain('| acme/silver | Silver | Gold | performance: fail (no k6 results) |');
    expect(markdown).toContain('- acme/lapsed: performance **expired, not honoured** — k6 suite lands next quarter (jane.doe, until 2020-01-31)');
  }, 60_000);
});

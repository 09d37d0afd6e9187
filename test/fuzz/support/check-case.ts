/**
 * One pipeline fuzz case: the sample repository (scripts/make-sample-repo.mjs) checked with one
 * input replaced by a damaged real fixture, and the invariants of what qgate then wrote and said.
 * Shared by the in-process family (runCheck) and the CLI family (the built dist/cli/main.js).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import type { CheckOptions } from '../../../src/run.js';
import { readResultJson } from '../../../src/model/validate-result.js';
import { FAMILIES, ROOT, commentProblems, hasStackTrace, htmlProblems, secretProblems, type Family, type Fixture } from './families.js';
import { GIT_ENV } from '../../e2e/git-repo.js';
import { damage, describeMutations, encodingArbitrary, hostileMutationsArbitrary, mutationsArbitrary, SECRET_CONTENT, SECRET_NAME, type FuzzEncoding, type Mutation } from './mutations.js';

// The e2e tests' git environment (no system or user config, English messages), shared.
export { GIT_ENV };

export interface SampleRepo {
  repo: string;
  baseSha: string;
  /** The planted secret outside the repository. */
  secretPath: string;
}

/** Plants the secret beside the repository (outside it) and returns what the cases need. */
export function prepareSample(parent: string, makeSampleRepo: (parent: string) => { repo: string; baseSha: string }): SampleRepo {
  const secretPath = join(parent, SECRET_NAME);
  writeFileSync(secretPath, `${SECRET_CONTENT}\n`);
  const { repo, baseSha } = makeSampleRepo(parent);
  writeFileSync(join(repo, 'sample.diff'), execFileSync('git', ['diff', baseSha, 'HEAD'], { cwd: repo, env: GIT_ENV }));
  return { repo, baseSha, secretPath };
}

/** The families a check is fuzzed with, each with the fixtures that show their names in the comment. */
export interface CheckFamily {
  family: string;
  format: Family;
  fixtures: Fixture[];
}

function pick(name: string, fixtures?: (fixture: Fixture) => boolean): Family & { picked: Fixture[] } {
  const family = FAMILIES.find((candidate) => candidate.family === name)!;
  return { ...family, picked: family.fixtures.filter(fixtures ?? (() => true)) };
}

export const CHECK_FAMILY_NAMES = ['check: lcov', 'check: cobertura', 'check: diff-file', 'check: cucumber-json', 'check: cucumber-messages', 'check: junit', 'check: k6', 'check: stryker'] as const;

export function checkFamily(repo: string, name: (typeof CHECK_FAMILY_NAMES)[number]): CheckFamily {
  return checkFamilies(repo).find((family) => family.family === name)!;
}

function checkFamilies(repo: string): CheckFamily[] {
  const sample = (file: string): Fixture => ({ name: `fixtures/sample/coverage/${file}`, bytes: readFileSync(join(ROOT, 'fixtures/sample/coverage', file)) });
  const diff: Fixture = { name: 'git diff of the sample MR', bytes: readFileSync(join(repo, 'sample.diff')) };
  // The real Stryker run's mutants moved onto the sample's changed file, so they reach the comment.
  const stryker = readFileSync(join(ROOT, 'fixtures/mutation/generated/stryker-sample.mutation.json'), 'utf8');
  const retargeted: Fixture = { name: 'stryker-sample.mutation.json on src/stock.js', bytes: Buffer.from(stryker.replaceAll('src/cart.js', 'src/stock.js')) };
  const small = (fixture: Fixture): boolean => fixture.bytes.length <= 60 * 1024;
  return [
    { family: 'check: lcov', format: pick('lcov'), fixtures: [sample('lcov.info')] },
    { family: 'check: cobertura', format: pick('cobertura'), fixtures: [sample('cobertura-coverage.xml')] },
    { family: 'check: diff-file', format: pick('unified-diff'), fixtures: [diff] },
    { family: 'check: cucumber-json', format: pick('cucumber-json'), fixtures: pick('cucumber-json', small).picked },
    { family: 'check: cucumber-messages', format: pick('cucumber-messages'), fixtures: pick('cucumber-messages', small).picked },
    { family: 'check: junit', format: pick('junit'), fixtures: pick('junit', small).picked },
    { family: 'check: k6', format: pick('k6-summary-export'), fixtures: [...pick('k6-summary-export', small).picked, ...pick('k6-handle-summary', small).picked] },
    { family: 'check: stryker', format: pick('stryker'), fixtures: [...pick('stryker', small).picked, retargeted] },
  ];
}

export interface FuzzCase {
  fixture: number;
  encoding: FuzzEncoding;
  mutations: Mutation[];
}

export function caseArbitrary(family: CheckFamily): fc.Arbitrary<FuzzCase> {
  return fc.record({ fixture: fc.integer({ min: 0, max: family.fixtures.length - 1 }), encoding: encodingArbitrary, mutations: fc.oneof(mutationsArbitrary({ hostileWeight: 3 }), hostileMutationsArbitrary) });
}

/** The check's arguments with the damaged input in place of (or beside) the sample's own. */
export function writeCase(
  sample: SampleRepo,
  family: CheckFamily,
  value: FuzzCase,
  id: string,
): { input: string; file: string; args: string[]; options: CheckOptions; out: string } {
  const source = family.fixtures[value.fixture]!;
  const file = `fuzz-input/${id}.${family.format.extension}`;
  mkdirSync(join(sample.repo, 'fuzz-input'), { recursive: true });
  writeFileSync(join(sample.repo, file), damage(source.bytes, value.encoding, value.mutations, family.format.syntax, sample.secretPath));
  const out = `fuzz-out/${id}`;
  const option = family.format.option;
  const args = ['check', '--out', out, '--no-comment', '--no-discover', option, file];
  if (option !== '--coverage') args.push('--coverage', 'coverage/lcov.info');
  if (option !== '--diff-file') args.push('--base', sample.baseSha);
  const options: CheckOptions = {
    out,
    comment: false,
    discover: false,
    coverage: [option === '--coverage' ? file : 'coverage/lcov.info'],
    cucumber: option === '--cucumber' ? [file] : [],
    ...(option === '--k6' ? { k6: file } : {}),
    ...(option === '--mutation' ? { mutation: file } : {}),
    ...(option === '--diff-file' ? { diffFile: file } : { base: sample.baseSha }),
  };
  return { input: `${source.name} (${value.encoding}) ${describeMutations(value.mutations)}`, file, args, options, out };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile());
}

/**
 * The invariants of one finished case (and whether an injected name reached comment.md or
 * index.html, so the counts show the output checks were not vacuous): exit code in the table, no stack trace, an input error
 * that names the damaged file, comment.md and index.html free of live injected markup, result.json
 * valid against its schema, and the secret outside the repository in no output.
 */
export function caseProblems(sample: SampleRepo, run: { exitCode: number | null; stdout: string; stderr: string; file: string; out: string }): { problems: string[]; reached: boolean } {
  const problems: string[] = [];
  let reached = false;
  if (run.exitCode === null || ![0, 1, 2, 3].includes(run.exitCode)) problems.push(`exit code ${run.exitCode} is not one of 0, 1, 2, 3`);
  for (const [name, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    if (hasStackTrace(text)) problems.push(`${name} contains a stack trace: ${text.slice(0, 600)}`);
    problems.push(...secretProblems(name, text));
  }
  const inputError = /qgate: error (INPUT_\w+|DIFF_MALFORMED)/.exec(run.stderr);
  if (inputError && !run.stderr.includes(run.file)) problems.push(`${inputError[1]} does not name ${run.file}: ${run.stderr.slice(0, 400)}`);
  const outDir = join(sample.repo, run.out);
  for (const path of filesUnder(outDir)) {
    const text = readFileSync(path, 'utf8');
    const name = relative(outDir, path);
    problems.push(...secretProblems(name, text));
    if ((name === 'comment.md' || name === 'index.html') && /qgfz|javascript:|@\u2060?(?:all|here)|etc\/passwd|qgate-fuzz-secret/.test(text)) reached = true;
    if (name === 'comment.md') problems.push(...commentProblems(text));
    if (name === 'result.json') {
      // What qgate writes is read back by the next pipeline as its baseline: it must match the published schema.
      const read = readResultJson(text);
      if (!read.ok) problems.push(`result.json does not match schemas/result.schema.json: ${read.problem}`);
    }
    if (name.endsWith('.html')) problems.push(...htmlProblems(text).map((problem) => problem.replace('index.html', name)));
  }
  return { problems, reached };
}

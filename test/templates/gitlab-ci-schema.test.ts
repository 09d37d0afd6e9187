/**
 * Every component template and the project's own pipeline, held against GitLab's rules: the
 * published CI schema (fixtures/schemas/gitlab-ci/ci.json, see its PROVENANCE.md) and, since that
 * schema checks `$[[ … ]]` text as written, the header and interpolation rules of GitLab itself
 * (test/templates/gitlab-rules.ts) with the inputs interpolated for several input sets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { headerProblems, interpolate, jobVariableProblems, loadDocuments, resolveInputs, rubyToS, type InputSpec } from './gitlab-rules.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'schemas', 'gitlab-ci', 'ci.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

/** Schema quirk (PROVENANCE.md): an untyped input fails; GitLab reads it as a string, so do that first. */
function asGitLabReadsIt(header: unknown): unknown {
  const copy = structuredClone(header) as { spec?: { inputs?: Record<string, InputSpec | null> } };
  for (const [name, input] of Object.entries(copy.spec?.inputs ?? {})) copy.spec!.inputs![name] = { type: 'string', ...(input ?? {}) };
  return copy;
}

function schemaErrors(document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

const templates = readdirSync(join(ROOT, 'templates')).filter((name) => name.endsWith('.yml'));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** All the ways a template must be right: header, schema, interpolated body, job variables. */
function problemsOf(text: string, given: Record<string, unknown>): string[] {
  const [header, body] = loadDocuments(text);
  const problems = [...headerProblems(header), ...schemaErrors(asGitLabReadsIt(header)), ...schemaErrors(body)];
  const job = interpolate(body, resolveInputs(header, given));
  return [...problems, ...schemaErrors(job), ...jobVariableProblems(job)];
}

const INPUT_SETS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'one path': { coverage: 'coverage/lcov.info' },
  'three paths, blank-separated': { coverage: 'coverage/lcov.info  packages/*/coverage/lcov.info\tcoverage.xml', cucumber: 'reports/cucumber/messages.ndjson' },
  'three paths, one per line, with spaces': { coverage: 'my reports/lcov.info\npackages/a b/lcov.info\ncoverage.xml\n' },
  'blocking false, no comment, full clone': { blocking: false, comment: false, 'git-depth': 0, interruptible: true, stage: 'gate', 'job-name': 'qgate-self' },
};

describe.each(templates)('templates/%s', (name) => {
  const text = read(`templates/${name}`);
  it.each(Object.keys(INPUT_SETS))('is valid by GitLab rules and the CI schema with %s', (set) => {
    expect(problemsOf(text, INPUT_SETS[set]!)).toEqual([]);
  });

  it('rejects what GitLab rejects: an unknown input, a wrong type, an array for a path list', () => {
    const [header] = loadDocuments(text);
    expect(() => resolveInputs(header, { coverge: 'a' })).toThrow('unknown input arguments: coverge');
    expect(() => resolveInputs(header, { blocking: 'no' })).toThrow('`blocking` input: provided value must be a boolean');
    expect(() => resolveInputs(header, { coverage: ['a', 'b'] })).toThrow('`coverage` input: provided value must be a string');
  });
});

describe('the qgate job after interpolation', () => {
  const text = read('templates/qgate.yml');
  const jobOf = (given: Record<string, unknown>): Record<string, unknown> => {
    const [header, body] = loadDocuments(text);
    const job = interpolate(body, resolveInputs(header, given)) as Record<string, Record<string, unknown>>;
    return job[(given['job-name'] as string | undefined) ?? 'qgate']!;
  };

  it('keeps types where GitLab keeps them and picks the hidden job of the blocking value', () => {
    const job = jobOf({ blocking: false, interruptible: true, 'git-depth': 20 });
    expect(job.extends).toEqual(['.qgate-blocking-false', '.qgate-interruptible-true']);
    expect((job.variables as Record<string, unknown>).GIT_DEPTH).toBe(20);
    expect((job.variables as Record<string, unknown>).QGATE_COMMENT).toBe('comment=true');
  });

  /** Runs the job's script with a `qgate` that prints its arguments, one per line. */
  function argumentsOf(given: Record<string, unknown>): string[] {
    const job = jobOf(given);
    const dir = mkdtempSync(join(tmpdir(), 'qgate-script-'));
    try {
      writeFileSync(join(dir, 'qgate'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
      chmodSync(join(dir, 'qgate'), 0o755);
      const variables = Object.fromEntries(Object.entries(job.variables as Record<string, unknown>).map(([key, value]) => [key, String(value)]));
      const output = execFileSync('sh', ['-e', '-c', (job.script as string[]).join('\n')], { cwd: dir, encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, ...variables } });
      return output.split('\n').slice(1, -1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('passes each path of a list input as one --coverage, blank-separated or one per line', () => {
    expect(argumentsOf({})).toEqual(['check', '--out', 'qgate-report']);
    expect(argumentsOf({ coverage: 'coverage/lcov.info  packages/*/lcov.info\tcoverage.xml' })).toEqual([
      'check', '--out', 'qgate-report', '--coverage', 'coverage/lcov.info', '--coverage', 'packages/*/lcov.info', '--coverage', 'coverage.xml',
    ]);
    expect(argumentsOf({ coverage: 'my reports/lcov.info\npackages/a b/*.xml\n', cucumber: 'r/m.ndjson', comment: false })).toEqual([
      'check', '--out', 'qgate-report', '--coverage', 'my reports/lcov.info', '--coverage', 'packages/a b/*.xml', '--cucumber', 'r/m.ndjson', '--no-comment',
    ]);
  });
});

describe('the rules catch the bugs of qgate 0.1.0 (negative controls)', () => {
  const broken = readFileSync(join(ROOT, 'fixtures', 'gitlab-ci', 'bad', 'qgate-0.1.0-array-variables-and-spec-description.yml'), 'utf8');

  it('spec.description: rejected by the header rules and by the schema', () => {
    const [header] = loadDocuments(broken);
    expect(headerProblems(header)).toContain('spec key `description`: only `inputs` is portable (GitLab < 18.6 and ci.json reject it)');
    expect(schemaErrors(asGitLabReadsIt(header))).toContain('/spec must NOT have additional properties');
  });

  it('an array input whole in a job variable: the schema passes the text, the interpolated job fails', () => {
    const [header, body] = loadDocuments(broken);
    expect(schemaErrors(body)).toEqual([]);
    const job = interpolate(body, resolveInputs(header, { coverage: ['a.info', 'b.xml'] }));
    expect(jobVariableProblems(job)).toContain('jobs:qgate:variables:QGATE_COVERAGE_PATHS: variable definition must be either a string or a hash (got ["a.info","b.xml"])');
    expect(schemaErrors(job).length).toBeGreaterThan(0);
  });

  it('interpolates as GitLab does: partial to_s in Ruby form, whole arrays spliced into lists', () => {
    expect(interpolate({ a: 'x=$[[ inputs.l ]]', b: '$[[ inputs.f ]]', c: 'f=$[[ inputs.f ]]', s: ['one', '$[[ inputs.l ]]'] }, { l: ['p q', 'r'], f: false })).toEqual({
      a: 'x=["p q", "r"]', b: false, c: 'f=false', s: ['one', 'p q', 'r'],
    });
    expect(rubyToS([{ job: 'test', optional: true }])).toBe('[{"job"=>"test", "optional"=>true}]');
    expect(() => interpolate('$[[ inputs.nope ]]', {})).toThrow('unknown interpolation key');
  });
});

describe('.gitlab-ci.yml', () => {
  const documents = loadDocuments(read('.gitlab-ci.yml'));
  it('is one valid document', () => {
    expect(documents).toHaveLength(1);
    expect(schemaErrors(documents[0])).toEqual([]);
    expect(jobVariableProblems(documents[0])).toEqual([]);
  });

  it('includes its own components with inputs they accept, and the result is valid', () => {
    const includes = ((documents[0] as { include?: unknown[] }).include ?? []) as Array<{ component?: string; inputs?: Record<string, unknown> }>;
    for (const include of includes.filter((item) => item.component)) {
      const match = /^\$CI_SERVER_FQDN\/\$CI_PROJECT_PATH\/([\w-]+)@\$CI_COMMIT_SHA$/.exec(include.component!);
      expect(match, include.component).not.toBeNull();
      expect(problemsOf(read(`templates/${match![1]}.yml`), include.inputs ?? {})).toEqual([]);
    }
  });

  type Job = Record<string, unknown> & { rules?: Array<{ if?: string }>; release?: Record<string, unknown>; stage?: string; script?: unknown };
  const pipeline = documents[0] as Record<string, unknown> & { include?: Array<{ component?: string; inputs?: Record<string, unknown> }>; variables?: Record<string, unknown> };
  const jobs = Object.entries(pipeline).filter(([name]) => !['stages', 'include', 'workflow', 'default', 'variables'].includes(name) && !name.startsWith('.')) as Array<[string, Job]>;

  it('gates itself through its own component of this commit, under a job name of its own', () => {
    const self = (pipeline.include ?? []).find((item) => item.component === '$CI_SERVER_FQDN/$CI_PROJECT_PATH/qgate@$CI_COMMIT_SHA');
    expect(self).toBeDefined();
    const jobName = self!.inputs?.['job-name'] as string;
    expect(jobName).toBe('qgate-self');
    // The included job merges with the local job of that name (needs, the commit's own qgate on PATH).
    const [header, body] = loadDocuments(read('templates/qgate.yml'));
    const included = interpolate(body, resolveInputs(header, self!.inputs ?? {})) as Record<string, Job>;
    const merged = { ...included[jobName], ...(pipeline[jobName] as Job) };
    expect(merged.script).toBeDefined();
    expect(merged.stage).toBe('gate');
    expect(schemaErrors({ ...included, [jobName]: merged })).toEqual([]);
    expect(JSON.stringify(pipeline[jobName])).toContain('dist/cli/main.js');
  });

  it('forces no full clone', () => {
    expect(pipeline.variables?.GIT_DEPTH).toBeUndefined();
  });

  it('releases on a version tag: image with its digest, npm package, and a `release:` job the CI/CD Catalog lists', () => {
    const onTag = (job: Job): boolean => (job.rules ?? []).some((rule) => (rule.if ?? '').includes('$CI_COMMIT_TAG'));
    const image = jobs.find(([name]) => name === 'container-image')?.[1];
    expect(image && onTag(image)).toBe(true);
    expect(JSON.stringify(image)).toContain('docker push \\"$CI_REGISTRY_IMAGE:$IMAGE_TAG\\"');
    expect(JSON.stringify(image)).toContain('IMAGE_DIGEST=');
    const npm = jobs.find(([name]) => name === 'npm-package')?.[1];
    expect(npm && onTag(npm)).toBe(true);
    expect(JSON.stringify(npm)).toContain('npm publish');
    const release = jobs.find(([, job]) => job.release !== undefined);
    expect(release).toBeDefined();
    expect(onTag(release![1])).toBe(true);
    expect(release![1].release).toMatchObject({ tag_name: '$CI_COMMIT_TAG', description: expect.stringContaining('CHANGELOG.md') });
    expect(release![1].needs).toEqual(['container-image', 'npm-package']);
    // The tag is made by semantic-release from the conventional commits (.releaserc.json).
    const semantic = jobs.find(([name]) => name === 'semantic-release')?.[1];
    expect(JSON.stringify(semantic)).toContain('semantic-release');
    const releaserc = JSON.parse(read('.releaserc.json')) as { plugins: unknown[] };
    expect(JSON.stringify(releaserc.plugins)).toContain('@semantic-release/changelog');
  });

  it("pins the component's default image to the package version, and set-version moves both", () => {
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    const [header] = loadDocuments(read('templates/qgate.yml')) as Array<{ spec: { inputs: Record<string, { default?: unknown }> } }>;
    expect(header!.spec.inputs.image!.default).toMatch(new RegExp(`/qgate:${version.replace(/\./g, '\\.')}$`));
    const copy = mkdtempSync(join(tmpdir(), 'qgate-set-version-'));
    try {
      for (const path of ['package.json', 'package-lock.json', 'templates/qgate.yml', 'scripts/set-version.mjs']) {
        execFileSync('mkdir', ['-p', join(copy, path, '..')]);
        writeFileSync(join(copy, path), read(path));
      }
      execFileSync(process.execPath, [join(copy, 'scripts/set-version.mjs'), '9.8.7'], { encoding: 'utf8' });
      expect((JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as { version: string }).version).toBe('9.8.7');
      expect(readFileSync(join(copy, 'templates/qgate.yml'), 'utf8')).toContain('/qgate:9.8.7');
      expect(() => execFileSync(process.execPath, [join(copy, 'scripts/set-version.mjs'), 'v1'], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

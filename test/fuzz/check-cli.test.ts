/**
 * Fuzz, the built CLI (issue 17 item 6): the smaller family of test/fuzz/check.test.ts run as a
 * pipeline runs qgate, `node dist/cli/main.js check …` in the sample repository, so the exit
 * code and what reaches stdout/stderr are the real ones. In the e2e tier (it needs the build).
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { runQgate } from '../e2e/helpers.js';
import { caseArbitrary, caseProblems, CHECK_FAMILY_NAMES, checkFamily, GIT_ENV, prepareSample, writeCase, type SampleRepo } from './support/check-case.js';
import { casesPerFamily, describeFailures, fuzzFamily } from './support/fuzz-run.js';

const parent = realpathSync(mkdtempSync(join(tmpdir(), 'qgate-fuzz-cli-')));
let sample: SampleRepo;
beforeAll(() => {
  sample = prepareSample(parent, makeSampleRepo as (parent: string) => { repo: string; baseSha: string });
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('qgate check (built CLI) on damaged inputs', () => {
  it.each(CHECK_FAMILY_NAMES.map((name) => [name.replace('check:', 'cli:')] as const))('%s', async (cliName) => {
    const family = checkFamily(sample.repo, cliName.replace('cli:', 'check:') as (typeof CHECK_FAMILY_NAMES)[number]);
    let index = 0;
    const tally = await fuzzFamily(cliName, caseArbitrary(family), casesPerFamily(2, 25), async (value) => {
      const id = `${cliName.replace(/\W+/g, '-')}-${(index += 1)}`;
      const written = writeCase(sample, family, value, id);
      const run = runQgate(sample.repo, written.args, GIT_ENV);
      const checked = caseProblems(sample, { exitCode: run.status, stdout: run.stdout, stderr: run.stderr, file: written.file, out: written.out });
      const problems = [...checked.problems];
      if (run.stderr.includes('qgate: internal error')) problems.push(`internal error: ${run.stderr.slice(0, 400)}`);
      rmSync(join(sample.repo, written.out), { recursive: true, force: true });
      rmSync(join(sample.repo, written.file), { force: true });
      return { accepted: run.status === 0 || run.status === 1, reached: checked.reached, problems, input: written.input };
    });
    expect(tally.failures, describeFailures(tally)).toEqual([]);
  });
});

/**
 * Fuzz, the whole check in process (issue 17 item 6): the sample merge request checked with one
 * input replaced by a damaged real fixture, hostile names weighted up. Whatever the input, qgate
 * ends with a verdict or a catalogued error naming the file, writes no live markup, mention or
 * `javascript:` link into comment.md or index.html, and reads nothing outside the repository
 * (a secret planted beside it never shows up). test/fuzz/check-cli.test.ts runs the built CLI.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { formatError, isQgateError } from '../../src/errors.js';
import { runCheck } from '../../src/run.js';
import { caseArbitrary, caseProblems, CHECK_FAMILY_NAMES, checkFamily, GIT_ENV, prepareSample, writeCase, type SampleRepo } from './support/check-case.js';
import { casesPerFamily, describeFailures, fuzzFamily } from './support/fuzz-run.js';

const parent = realpathSync(mkdtempSync(join(tmpdir(), 'qgate-fuzz-check-')));
let sample: SampleRepo;
beforeAll(() => {
  sample = prepareSample(parent, makeSampleRepo as (parent: string) => { repo: string; baseSha: string });
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const now = () => new Date('2026-12-08T00:00:00Z');

describe('qgate check on damaged inputs, in process', () => {
  it.each(CHECK_FAMILY_NAMES.map((name) => [name] as const))('%s', async (name) => {
    const family = checkFamily(sample.repo, name);
    let index = 0;
    const tally = await fuzzFamily(family.family, caseArbitrary(family), casesPerFamily(10, 120), async (value) => {
      const id = `${family.family.replace(/\W+/g, '-')}-${(index += 1)}`;
      const written = writeCase(sample, family, value, id);
      let stdout = '';
      let stderr = '';
      let exitCode: number;
      const problems: string[] = [];
      try {
        const outcome = await runCheck(written.options, {
          cwd: sample.repo,
          env: GIT_ENV,
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
          now,
        });
        exitCode = outcome.exitCode;
      } catch (error) {
        if (isQgateError(error)) {
          stderr += `${formatError(error)}\n`;
          exitCode = error.exitCode;
        } else {
          problems.push(`internal error (the CLI would print "unexpected error"): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
          exitCode = 3;
        }
      }
      const checked = caseProblems(sample, { exitCode, stdout, stderr, file: written.file, out: written.out });
      problems.push(...checked.problems);
      rmSync(join(sample.repo, written.out), { recursive: true, force: true });
      rmSync(join(sample.repo, written.file), { force: true });
      return { accepted: exitCode === 0 || exitCode === 1, reached: checked.reached, problems, input: written.input };
    });
    expect(tally.failures, describeFailures(tally)).toEqual([]);
  });
});

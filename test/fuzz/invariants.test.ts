/**
 * The fuzz suite's own controls: the detectors flag what they must (and not what is escaped),
 * and a hostile name really reaches comment.md and index.html, so a fuzz run that finds nothing
 * means the outputs are safe, not that the names never got there.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { runCheck, type CheckOptions } from '../../src/run.js';
import { GIT_ENV, prepareSample, type SampleRepo } from './support/check-case.js';
import { commentProblems, htmlProblems, ROOT, secretProblems } from './support/families.js';
import { SECRET_CONTENT, SECRET_NAME } from './support/mutations.js';

describe('the detectors', () => {
  it('flag live markup, javascript: links and mentions in comment.md', () => {
    expect(commentProblems('a <script>x</script>')).toHaveLength(1);
    expect(commentProblems('[a](javascript:x)')).toHaveLength(1);
    expect(commentProblems('hello @all')).toHaveLength(1);
    expect(commentProblems('<img src=x onerror=y>')).toHaveLength(1);
  });

  it('leave escaped text and code alone', () => {
    expect(commentProblems('a \\<script> [a\\](javascript:x) @\u2060all `<script> @all`')).toEqual([]);
    expect(commentProblems('```\n<script>\n@all\n```\n')).toEqual([]);
  });

  it('flag injected markup and javascript: links in index.html, and the secret anywhere', () => {
    expect(htmlProblems('<td><script>qgfz()</script></td>')).toHaveLength(1);
    expect(htmlProblems('<a href="javascript:qgfz()">x</a>')).toHaveLength(1);
    expect(htmlProblems('<td>&lt;script&gt;qgfz()&lt;/script&gt;</td>')).toEqual([]);
    expect(secretProblems('x', `a ${SECRET_CONTENT} b`)).toHaveLength(1);
  });
});

describe('a hostile name reaches the outputs, escaped', () => {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'qgate-fuzz-control-')));
  let sample: SampleRepo;
  beforeAll(() => {
    sample = prepareSample(parent, makeSampleRepo as (parent: string) => { repo: string; baseSha: string });
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  const HOSTILE = '<script>qgfz()</script> [x](javascript:qgfz()) @all';

  async function check(options: Partial<CheckOptions>): Promise<{ comment: string; html: string }> {
    await runCheck(
      { out: 'out', comment: false, discover: false, coverage: ['coverage/lcov.info'], cucumber: [], base: sample.baseSha, ...options },
      { cwd: sample.repo, env: GIT_ENV, stdout: { write: () => true }, stderr: { write: () => true }, now: () => new Date('2026-12-08T00:00:00Z') },
    );
    return { comment: readFileSync(join(sample.repo, 'out', 'comment.md'), 'utf8'), html: readFileSync(join(sample.repo, 'out', 'index.html'), 'utf8') };
  }

  it('as a failed scenario name in Cucumber JSON', async () => {
    const features = JSON.parse(readFileSync(join(ROOT, 'fixtures/e2e/generated/cucumber-js12__reservations.json'), 'utf8')) as Array<{ name: string; elements?: Array<{ name: string }> }>;
    for (const feature of features) {
      feature.name += ` ${HOSTILE}`;
      for (const scenario of feature.elements ?? []) scenario.name += ` ${HOSTILE}`;
    }
    writeFileSync(join(sample.repo, 'hostile.json'), JSON.stringify(features));
    const { comment, html } = await check({ cucumber: ['hostile.json'] });
    expect(comment).toContain('qgfz');
    expect(html).toContain('qgfz');
    expect(commentProblems(comment)).toEqual([]);
    expect(htmlProblems(html)).toEqual([]);
  });

  it('as a changed file path in the diff', async () => {
    const diff = readFileSync(join(sample.repo, 'sample.diff'), 'utf8').replaceAll('src/report.js', 'src/<script>qgfz()</script>@all.js');
    writeFileSync(join(sample.repo, 'hostile.diff'), diff);
    const { comment, html } = await check({ diffFile: 'hostile.diff' });
    expect(comment).toContain('qgfz');
    expect(html).toContain('qgfz');
    expect(commentProblems(comment)).toEqual([]);
    expect(htmlProblems(html)).toEqual([]);
  });

  it.each([`../${SECRET_NAME}`, 'absolute'])('as a changed, covered file outside the repository (%s), whose content is never read', async (which) => {
    const path = which === 'absolute' ? sample.secretPath : which;
    const diff = readFileSync(join(sample.repo, 'sample.diff'), 'utf8').replaceAll('src/report.js', path.replace(/^\//, ''));
    writeFileSync(join(sample.repo, 'outside.diff'), which === 'absolute' ? diff.replaceAll(`a/${path.slice(1)}`, `a${path}`).replaceAll(`b/${path.slice(1)}`, `b${path}`) : diff);
    writeFileSync(join(sample.repo, 'outside.info'), `${readFileSync(join(sample.repo, 'coverage/lcov.info'), 'utf8')}SF:${path}\nDA:1,1\nDA:2,0\nend_of_record\n`);
    let outputs: string;
    try {
      const { comment, html } = await check({ diffFile: 'outside.diff', coverage: ['outside.info'] });
      outputs = comment + html + readFileSync(join(sample.repo, 'out', 'result.json'), 'utf8');
    } catch {
      outputs = readFileSync(join(sample.repo, 'out', 'comment.md'), 'utf8') + readFileSync(join(sample.repo, 'out', 'result.json'), 'utf8');
    }
    expect(outputs).toContain(SECRET_NAME);
    expect(secretProblems('outputs', outputs)).toEqual([]);
  });
});

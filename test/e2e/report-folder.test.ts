/**
 * Issue 17 item 2, with the built CLI on the bundled sample: the report folder is one run's
 * whole set, a killed run's leftovers are cleaned up, a second concurrent run is refused.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { CLI, expectNoStackTrace, readResult, runQgate } from './helpers.js';

const KILL_HOOK = join(import.meta.dirname, '..', 'support', 'kill-during-write.mjs');

const created: string[] = [];
function sample(): string {
  const made = makeSampleRepo(tmpdir()) as { repo: string };
  created.push(made.repo);
  return made.repo;
}
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** What qgate left in the checkout's root besides the sample's own files. */
function besideReport(repo: string): string[] {
  return readdirSync(repo).filter((name) => !['.git', 'README.md', 'coverage', 'package.json', 'src', 'test'].includes(name));
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/**
 * A sample repository with one finished run, whose report folder a live process (a sleeping node)
 * holds through qgate's lock file, as a concurrent qgate run would; the holder is killed after.
 */
function withLiveLock(body: (repo: string, holder: ChildProcess, before: string) => void): void {
  const repo = sample();
  expect(runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment']).status).toBe(1);
  const before = readFileSync(join(repo, 'qgate-report', 'result.json'), 'utf8');
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    writeFileSync(join(repo, '.qgate-report.qgate.lock'), `${holder.pid}\n`);
    body(repo, holder, before);
  } finally {
    holder.kill('SIGKILL');
  }
}

describe('the report folder of qgate check', () => {
  it('a second run with other inputs leaves no file of the first (cobertura.xml of a run with coverage)', () => {
    const repo = sample();
    expect(runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment']).status).toBe(1);
    const out = join(repo, 'qgate-report');
    expect(readdirSync(out)).toContain('cobertura.xml');
    const second = runQgate(repo, ['check', '--base', 'main', '--no-discover', '--no-comment']);
    expect(second.status).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['codequality.json', 'comment.md', 'index.html', 'junit.xml', 'metrics.txt', 'result.json']);
    expect(readResult(repo).coverage).toBeNull();
    expect(readFileSync(join(out, 'index.html'), 'utf8')).not.toContain('src/stock.js: 4');
    expect(besideReport(repo)).toEqual(['qgate-report']);
  });

  it('removes the half-written set, the half-removed set and the dead lock a kill -9 left', async () => {
    const repo = sample();
    expect(runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment']).status).toBe(1);
    // What a run killed between its two renames leaves: the old set moved aside, the new one complete or not.
    mkdirSync(join(repo, '.qgate-report.0123456789ab.qgate-new'));
    writeFileSync(join(repo, '.qgate-report.0123456789ab.qgate-new', 'result.json'), '{"schemaVer');
    mkdirSync(join(repo, '.qgate-report.ba9876543210.qgate-old'));
    writeFileSync(join(repo, '.qgate-report.ba9876543210.qgate-old', 'cobertura.xml'), '<coverage/>');
    writeFileSync(join(repo, '.qgate-report.qgate.lock'), `${await deadPid()}\n`);
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment']);
    expect(run.status).toBe(1);
    expect(besideReport(repo)).toEqual(['qgate-report']);
    expect(readResult(repo).verdict).toBe('fail');
  });

  it.each([
    ['while the new set is half-written', 'write', ['.qgate-report.<hex>.qgate-new', '.qgate-report.qgate.lock', 'qgate-report']],
    ['between moving the old set aside and renaming the new one in', 'swap', ['.qgate-report.<hex>.qgate-new', '.qgate-report.<hex>.qgate-old', '.qgate-report.qgate.lock']],
  ])('a run killed with SIGKILL %s never leaves a mixed set, and the next run cleans up after it', (_when, at, leftovers) => {
    const repo = sample();
    expect(runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment']).status).toBe(1);
    const before = readFileSync(join(repo, 'qgate-report', 'result.json'), 'utf8');
    const killed = spawnSync(process.execPath, ['--import', KILL_HOOK, CLI, 'check', '--base', 'main', '--no-discover', '--no-comment'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', QGATE_TEST_KILL_AT: at },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(besideReport(repo).map((name) => name.replace(/\.[0-9a-f]{12}\./, '.<hex>.')).sort()).toEqual(leftovers);
    // Under the --out name there is the earlier whole set, or nothing: never a mix.
    if (at === 'write') expect(readFileSync(join(repo, 'qgate-report', 'result.json'), 'utf8')).toBe(before);
    const next = runQgate(repo, ['check', '--base', 'main', '--no-discover', '--no-comment']);
    expect(next.status).toBe(1);
    expect(besideReport(repo)).toEqual(['qgate-report']);
    expect(readdirSync(join(repo, 'qgate-report')).sort()).toEqual(['codequality.json', 'comment.md', 'index.html', 'junit.xml', 'metrics.txt', 'result.json']);
  });

  it('two real processes: the second is refused while the first writes, and takes over once the first is killed', async () => {
    const repo = sample();
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', QGATE_TEST_KILL_AT: 'hold' };
    const first = spawn(process.execPath, ['--import', KILL_HOOK, CLI, 'check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        first.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          seen += chunk;
          if (seen.includes('qgate-test: holding the report folder')) resolve();
        });
        first.on('exit', () => reject(new Error(`the first run exited early:\n${seen}`)));
      });
      const second = runQgate(repo, ['check', '--base', 'main', '--no-discover', '--no-comment']);
      expect(second.status).toBe(3);
      expect(second.stderr).toContain(`is being written by another qgate run (process ${first.pid}, lock file `);
    } finally {
      first.kill('SIGKILL');
      await exited;
    }
    const third = runQgate(repo, ['check', '--base', 'main', '--no-discover', '--no-comment']);
    expect(third.status).toBe(1);
    expect(besideReport(repo)).toEqual(['qgate-report']);
    expect(readResult(repo).coverage).toBeNull();
  });

  it('refuses a second run while a live qgate holds the folder, leaving that run\'s files alone', () => {
    withLiveLock((repo, holder, before) => {
      const run = runQgate(repo, ['check', '--base', 'main', '--no-comment', '--coverage', 'coverage/lcov.info']);
      expect(run.status).toBe(3);
      expectNoStackTrace(run.stderr);
      expect(run.stderr).toMatch(new RegExp(`OUTPUT_FAILED: .*qgate-report: is being written by another qgate run \\(process ${holder.pid}, lock file `));
      expect(run.stderr).toContain('Give each concurrent qgate run its own --out folder');
      expect(readFileSync(join(repo, 'qgate-report', 'result.json'), 'utf8')).toBe(before);
      expect(readFileSync(join(repo, '.qgate-report.qgate.lock'), 'utf8')).toBe(`${holder.pid}\n`);
    });
  });

  it('a run into a folder another live run holds, that fails on its own input, says so and leaves that run\'s files', () => {
    withLiveLock((repo, holder, before) => {
      const run = runQgate(repo, ['check', '--base', 'main', '--no-comment', '--coverage', 'coverage/missing.info']);
      expect(run.status).toBe(3);
      expect(run.stderr).toContain('INPUT_NOT_FOUND');
      expect(run.stderr).toContain(`qgate: the error report was not written: is being written by another qgate run (process ${holder.pid}`);
      expect(readFileSync(join(repo, 'qgate-report', 'result.json'), 'utf8')).toBe(before);
    });
  });
});

describe('the error report of a failed run', () => {
  it('a configuration error (exit 2) replaces the earlier verdict with result.json and comment.md saying why', () => {
    const repo = sample();
    expect(runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment']).status).toBe(1);
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    mni: 70\n');
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment']);
    expect(run.status).toBe(2);
    expectNoStackTrace(run.stderr);
    const out = join(repo, 'qgate-report');
    expect(readdirSync(out).sort()).toEqual(['comment.md', 'result.json']);
    const result = readResult(repo);
    expect(result).toMatchObject({ schemaVersion: 1, verdict: 'fail', verdictReason: 'qgate could not check the merge request: CONFIG_INVALID', gates: [], coverage: null, inputs: [] });
    expect(result.error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2, file: null, position: null });
    expect(result.error?.message).toContain('.qgate.yml:3:5: gates.new_code_coverage.mni: unknown key');
    const comment = readFileSync(join(out, 'comment.md'), 'utf8');
    expect(comment.startsWith('<!-- qgate:sticky-note -->\n### ⚠️ qgate could not check this merge request\n')).toBe(true);
    expect(comment).toContain('(exit code 2) before any gate ran');
    expect(comment).toContain('**`CONFIG_INVALID`** The configuration has 1 problem:\n\n- .qgate.yml:3:5: gates.new_code_coverage.mni: unknown key; did you mean \\`min\\`?\n');
    expect(comment).toContain('**What to do:** Fix the keys listed above');
    expect(besideReport(repo)).toEqual(['.qgate.yml', 'qgate-report']);
  });

  it('an unreadable input (exit 3) names the file and its line in result.json and comment.md', () => {
    const repo = sample();
    writeFileSync(join(repo, 'coverage', 'huge.info'), 'TN:\nSF:src/stock.js\nDA:99999999999999999999,1\nend_of_record\n');
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/huge.info', '--no-comment']);
    expect(run.status).toBe(3);
    expect(readResult(repo).error).toMatchObject({ code: 'INPUT_MALFORMED', exitCode: 3, file: 'coverage/huge.info', position: { line: 3, column: null } });
    const comment = readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8');
    expect(comment).toContain('**`INPUT_MALFORMED`** `coverage/huge.info:3`: has a malformed DA record');
  });

  it('an unknown option, before the output folder is known, writes nothing', () => {
    const repo = sample();
    expect(runQgate(repo, ['check', '--covrage', 'coverage/lcov.info']).status).toBe(2);
    expect(besideReport(repo)).toEqual([]);
  });
});

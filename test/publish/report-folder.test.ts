/**
 * The report folder is one consistent set: each write goes into a fresh folder beside `--out`
 * and is swapped in, so no earlier file survives; a killed run's leftovers are removed; a lock
 * file refuses a second writer, and a lock whose process is gone (kill -9) is taken over.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isFolderBusy, LOCK_FILE, lockFileFor, openReportFolder, removeStaleResult, writeReportFiles } from '../../src/publish/write-report-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): { base: string; out: string } {
  const base = mkdtempSync(join(tmpdir(), 'qgate-out-'));
  dirs.push(base);
  return { base, out: join(base, 'qgate-report') };
}

/** A real process that is gone: its pid is what kill -9 leaves in a lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** A live process that is not this one, killed after `use`. */
async function withLiveProcess<T>(use: (pid: number) => Promise<T>): Promise<T> {
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
  try {
    return await use(holder.pid!);
  } finally {
    holder.kill('SIGKILL');
  }
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (caught: unknown) => caught as Error,
  );
}

describe('the report folder', () => {
  it('a second write leaves exactly its own set: no earlier file (cobertura.xml, index.html) survives', async () => {
    const { base, out } = folder();
    await writeReportFiles(base, out, [['result.json', '{"a":1}'], ['index.html', 'old'], ['cobertura.xml', '<coverage/>'], ['junit.xml', 'old']]);
    await writeReportFiles(base, out, [['result.json', '{"a":2}'], ['comment.md', 'new']]);
    expect(readdirSync(out).sort()).toEqual(['comment.md', 'result.json']);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe('{"a":2}');
    // Nothing of the swap is left beside the folder: no temp folder, no lock.
    expect(readdirSync(base)).toEqual(['qgate-report']);
  });

  it('swaps a folder the user created, keeping its permissions', async () => {
    const { base, out } = folder();
    mkdirSync(out);
    chmodSync(out, 0o750);
    await writeReportFiles(base, out, [['result.json', '{}']]);
    expect(statSync(out).mode & 0o777).toBe(0o750);
    expect(readdirSync(out)).toEqual(['result.json']);
  });

  it('in a folder that holds the user\'s own files, replaces qgate\'s files in place and leaves the user\'s alone', async () => {
    const { base, out } = folder();
    mkdirSync(out);
    writeFileSync(join(out, 'lcov.info'), 'the user\'s own file');
    await writeReportFiles(base, out, [['result.json', '{"a":1}'], ['index.html', 'old'], ['cobertura.xml', '<coverage/>']]);
    writeFileSync(join(out, '.result.json.0123456789ab.tmp'), 'half');
    await writeReportFiles(base, out, [['result.json', '{"a":2}'], ['index.html', 'new']]);
    expect(readdirSync(out).sort()).toEqual(['index.html', 'lcov.info', 'result.json']);
    expect(readdirSync(base)).toEqual(['qgate-report']);
  });

  it('never moves the working directory itself away (--out .)', async () => {
    const { base } = folder();
    writeFileSync(join(base, 'package.json'), '{}');
    await writeReportFiles(base, base, [['result.json', '{}']]);
    await writeReportFiles(base, base, [['comment.md', 'x']]);
    expect(readdirSync(base).sort()).toEqual(['comment.md', 'package.json']);
  });

  it('removes what a killed run left beside the folder: half-written and half-removed sets, and a dead writer\'s lock', async () => {
    const { base, out } = folder();
    await writeReportFiles(base, out, [['result.json', '{"old":true}']]);
    mkdirSync(join(base, '.qgate-report.0123456789ab.qgate-new'));
    writeFileSync(join(base, '.qgate-report.0123456789ab.qgate-new', 'result.json'), '{"half');
    mkdirSync(join(base, '.qgate-report.abcdefabcdef.qgate-old'));
    writeFileSync(join(base, '.qgate-report.abcdefabcdef.qgate-old', 'index.html'), 'older');
    writeFileSync(lockFileFor(out), `${await deadPid()}\n`);
    // Someone else's folder of a similar name is not a leftover.
    mkdirSync(join(base, '.qgate-report.keep'));
    await writeReportFiles(base, out, [['result.json', '{"new":true}']]);
    expect(readdirSync(base).sort()).toEqual(['.qgate-report.keep', 'qgate-report']);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe('{"new":true}');
  });

  it('removes the lock drafts of a run killed while taking the lock, but not a live run\'s', async () => {
    const { base, out } = folder();
    const dead = await deadPid();
    writeFileSync(join(base, '.qgate-report.qgate.lock.0123456789ab.tmp'), `${dead}\n`);
    writeFileSync(join(base, '.qgate-report.qgate.lock.abcdefabcdef.stale'), `${dead}\n`);
    writeFileSync(join(base, '.qgate-report.qgate.lock.bbbbbbbbbbbb.tmp'), '');
    await withLiveProcess(async (pid) => {
      writeFileSync(join(base, '.qgate-report.qgate.lock.aaaaaaaaaaaa.tmp'), `${pid}\n`);
      await writeReportFiles(base, out, [['result.json', '{}']]);
    });
    expect(readdirSync(base).sort()).toEqual(['.qgate-report.qgate.lock.aaaaaaaaaaaa.tmp', 'qgate-report']);
  });

  it('removes a leftover-named symlink beside the folder without following it', async () => {
    const { base, out } = folder();
    const elsewhere = mkdtempSync(join(tmpdir(), 'qgate-elsewhere-'));
    dirs.push(elsewhere);
    writeFileSync(join(elsewhere, 'keep.txt'), 'keep');
    symlinkSync(elsewhere, join(base, '.qgate-report.0123456789ab.qgate-old'));
    await writeReportFiles(base, out, [['result.json', '{}']]);
    expect(existsSync(join(base, '.qgate-report.0123456789ab.qgate-old'))).toBe(false);
    expect(readFileSync(join(elsewhere, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('refuses a live lock at once, naming the other process, and touches nothing', async () => {
    const { base, out } = folder();
    await writeReportFiles(base, out, [['result.json', '{"theirs":true}'], ['index.html', 'theirs']]);
    await withLiveProcess(async (pid) => {
      writeFileSync(lockFileFor(out), `${pid}\n`);
      const error = await refusal(writeReportFiles(base, out, [['result.json', '{"mine":true}']]));
      expect(isFolderBusy(error)).toBe(true);
      expect(error.message).toBe(`is being written by another qgate run (process ${pid}, lock file ${lockFileFor(out)}); two runs must not write one report folder at once.`);
      expect(readFileSync(lockFileFor(out), 'utf8')).toBe(`${pid}\n`);
    });
    expect(readdirSync(out).sort()).toEqual(['index.html', 'result.json']);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe('{"theirs":true}');
  });

  it('holds the lock from open to release: one run\'s two writes are never interleaved with another\'s', async () => {
    const { base, out } = folder();
    const first = await openReportFolder(base, out);
    await first.write([['result.json', '1']]);
    expect(readFileSync(lockFileFor(out), 'utf8')).toBe(`${process.pid}\n`);
    expect(isFolderBusy(await refusal(openReportFolder(base, out)))).toBe(true);
    await first.write([['result.json', '2']]);
    await first.release();
    await first.release();
    expect(existsSync(lockFileFor(out))).toBe(false);
    await writeReportFiles(base, out, [['result.json', '3']]);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe('3');
  });

  it('concurrent writers: one wins, the others are refused, and the folder holds one whole set', async () => {
    const { base, out } = folder();
    const names = ['result.json', 'comment.md', 'junit.xml'];
    const sets = Array.from({ length: 4 }, (_, run) => names.map((name) => [name, `run ${run}`] as [string, string]));
    const outcomes = await Promise.allSettled(sets.map((files) => writeReportFiles(base, out, files)));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const outcome of refused) expect(isFolderBusy((outcome as PromiseRejectedResult).reason)).toBe(true);
    expect(new Set(names.map((name) => readFileSync(join(out, name), 'utf8'))).size).toBe(1);
    expect(readdirSync(base)).toEqual(['qgate-report']);
  });

  it('a lock inside a shared folder (the pre-swap location) is honoured the same way', async () => {
    const { base, out } = folder();
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await withLiveProcess(async (pid) => {
      writeFileSync(join(out, LOCK_FILE), `${pid}\n`);
      expect(isFolderBusy(await refusal(writeReportFiles(base, out, [['result.json', '{}']])))).toBe(true);
    });
    writeFileSync(join(out, LOCK_FILE), `${await deadPid()}\n`);
    await writeReportFiles(base, out, [['result.json', '{}']]);
    expect(readdirSync(out).sort()).toEqual(['notes.txt', 'result.json']);
  });

  it('refuses a symlinked folder or parent and writes nothing through it', async () => {
    const { base } = folder();
    const elsewhere = mkdtempSync(join(tmpdir(), 'qgate-elsewhere-'));
    dirs.push(elsewhere);
    symlinkSync(elsewhere, join(base, 'linked'));
    for (const out of [join(base, 'linked'), join(base, 'linked', 'qgate')]) {
      const error = await refusal(writeReportFiles(base, out, [['result.json', '{}']]));
      expect(error.message).toContain('symbolic link');
    }
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(lstatSync(join(base, 'linked')).isSymbolicLink()).toBe(true);
  });

  it('outside the checkout, a folder the user named is theirs: a symlinked parent there is followed (macOS /tmp)', async () => {
    const { base } = folder();
    const elsewhere = mkdtempSync(join(tmpdir(), 'qgate-elsewhere-'));
    dirs.push(elsewhere);
    mkdirSync(join(elsewhere, 'real'));
    symlinkSync(join(elsewhere, 'real'), join(elsewhere, 'linked'));
    await writeReportFiles(base, join(elsewhere, 'linked', 'report'), [['result.json', '{}']]);
    expect(readdirSync(join(elsewhere, 'real', 'report'))).toEqual(['result.json']);
    // The folder itself is still never a symlink.
    symlinkSync(join(elsewhere, 'real'), join(elsewhere, 'out-link'));
    expect((await refusal(writeReportFiles(base, join(elsewhere, 'out-link'), [['result.json', '{}']]))).message).toContain('symbolic link');
  });

  it('refuses an --out that is a file', async () => {
    const { base, out } = folder();
    writeFileSync(out, 'not a folder');
    expect((await refusal(writeReportFiles(base, out, [['result.json', '{}']]))).message).toBe('exists and is not a directory.');
    expect(readFileSync(out, 'utf8')).toBe('not a folder');
  });

  it('the last resort of a failed run removes every earlier qgate file, index.html and cobertura.xml included', async () => {
    const { base, out } = folder();
    await writeReportFiles(base, out, [['result.json', '{}'], ['comment.md', 'x'], ['index.html', 'x'], ['cobertura.xml', 'x'], ['junit.xml', 'x']]);
    writeFileSync(join(out, '.comment.md.abcdefabcdef.tmp'), 'half');
    await removeStaleResult(base, out);
    expect(readdirSync(out)).toEqual([]);
  });
});

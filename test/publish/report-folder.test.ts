/**
 * The report folder is one consistent set: earlier qgate files this run does not write and
 * temporary files of a killed run are removed; a lock file serialises writers, and a lock whose
 * process is gone (kill -9) is taken over.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockOutDir, removeStaleResult, writeReportFiles } from '../../src/publish/write-report-files.js';

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

describe('the report folder', () => {
  it('removes an earlier cobertura.xml, index.html-less leftovers and temp files a run does not write', async () => {
    const { base, out } = folder();
    await writeReportFiles(base, out, [['result.json', '{"a":1}'], ['index.html', 'old'], ['cobertura.xml', '<coverage/>']]);
    writeFileSync(join(out, '.result.json.0123456789ab.tmp'), 'half');
    writeFileSync(join(out, 'notes.txt'), 'the user\'s own file');
    await writeReportFiles(base, out, [['result.json', '{"a":2}'], ['index.html', 'new']]);
    expect(readdirSync(out).sort()).toEqual(['index.html', 'notes.txt', 'result.json']);
  });

  it('a failed run removes every earlier qgate file, index.html and cobertura.xml included', async () => {
    const { base, out } = folder();
    await writeReportFiles(base, out, [['result.json', '{}'], ['comment.md', 'x'], ['index.html', 'x'], ['cobertura.xml', 'x'], ['junit.xml', 'x']]);
    writeFileSync(join(out, '.comment.md.abcdefabcdef.tmp'), 'half');
    await removeStaleResult(base, out);
    expect(readdirSync(out)).toEqual([]);
  });

  it('takes over the lock of a killed run, and waits for then refuses a live one', async () => {
    const { base, out } = folder();
    await writeReportFiles(base, out, [['result.json', '{}']]);
    writeFileSync(join(out, LOCK_FILE), `${await deadPid()}\n`);
    await writeReportFiles(base, out, [['result.json', '{"b":1}']]);
    expect(readdirSync(out)).toEqual(['result.json']);

    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(join(out, LOCK_FILE), `${holder.pid}\n`);
      const started = Date.now();
      const error = await lockOutDir(out, 300).then(() => null, (caught: unknown) => caught as Error);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(error?.message).toBe(`is being written by another qgate run (process ${holder.pid}); two runs must not write one report folder at once.`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('serialises concurrent writers so the folder holds one run\'s whole set', async () => {
    const { base, out } = folder();
    const sets = Array.from({ length: 4 }, (_, run) => ['result.json', 'comment.md', 'junit.xml'].map((name) => [name, `run ${run}`] as [string, string]));
    await Promise.all(sets.map((files) => writeReportFiles(base, out, files)));
    const { readFileSync } = await import('node:fs');
    const contents = new Set(['result.json', 'comment.md', 'junit.xml'].map((name) => readFileSync(join(out, name), 'utf8')));
    expect(contents.size).toBe(1);
    expect(readdirSync(out)).not.toContain(LOCK_FILE);
  });
});

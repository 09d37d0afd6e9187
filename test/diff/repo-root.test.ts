import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepoRoot } from '../../src/diff/repo-root.js';
import { QgateError } from '../../src/errors.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function repo(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'qgate-root-')));
  dirs.push(dir);
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

const env = { PATH: process.env.PATH, HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1' };

describe('findRepoRoot', () => {
  it('finds the top-level folder from a subfolder, and null outside any repository', async () => {
    const dir = repo();
    execFileSync('mkdir', ['-p', join(dir, 'a', 'b')]);
    expect(await findRepoRoot(join(dir, 'a', 'b'), env)).toBe(dir);
    expect(await findRepoRoot('/', env)).toBeNull();
  });

  it.runIf(process.getuid?.() === 0)('says that git refuses a checkout owned by another user, with the fix', async () => {
    const dir = repo();
    execFileSync('chown', ['-R', '65534', dir]);
    const error = (await findRepoRoot(dir, env).catch((caught: unknown) => caught)) as QgateError;
    chownSync(dir, 0, 0);
    expect(error).toBeInstanceOf(QgateError);
    expect(error.message).toBe(`git refuses the checkout ${dir}: it belongs to another user than the one running qgate.`);
    expect(error.hint).toContain(`git config --global --add safe.directory '${dir}'`);
  });
});

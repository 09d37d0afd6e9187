import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSourceReader, MAX_SOURCE_BYTES } from '../../src/inputs/read-source.js';

const root = mkdtempSync(join(tmpdir(), 'qgate-source-'));
const outside = mkdtempSync(join(tmpdir(), 'qgate-outside-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('createSourceReader', () => {
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src', 'big.ts'), 'x'.repeat(MAX_SOURCE_BYTES + 1));
  writeFileSync(join(root, 'src', 'bin.dat'), Buffer.from([1, 0, 2]));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'evil.ts'));
  symlinkSync(outside, join(root, 'linked'));
  writeFileSync(join(root, 'untracked.ts'), 'untracked');
  execFileSync('git', ['init', '-q'], { cwd: root });
  const tracked = new Set(['src/a.ts', 'src/big.ts', 'src/bin.dat', 'src/evil.ts', 'linked/secret.txt']);
  const read = createSourceReader(root, tracked, new Set(['src/evil.ts']));

  it('reads a tracked regular file inside the repository', () => {
    expect(read('src/a.ts')).toBe('export const a = 1;\n');
  });

  it('never reads through a symlink, a symlinked folder, .. or an untracked path', () => {
    expect(read('src/evil.ts')).toBeNull();
    expect(createSourceReader(root, tracked, new Set())('src/evil.ts')).toBeNull();
    expect(read('linked/secret.txt')).toBeNull();
    expect(read('../' + 'x')).toBeNull();
    expect(read('untracked.ts')).toBeNull();
  });

  it('skips binary and oversized files', () => {
    expect(read('src/bin.dat')).toBeNull();
    expect(read('src/big.ts')).toBeNull();
  });
});

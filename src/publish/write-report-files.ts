/**
 * Writing the report files. They are written before any network call, each through a
 * temporary file and a rename, and never through a symlink: a checkout whose MR commits
 * `qgate-report -> /somewhere` must not make qgate write outside it.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QgateError } from '../errors.js';
import type { QgateResult } from '../model/result.js';

async function ensureRealDirectory(dir: string): Promise<void> {
  try {
    const info = await lstat(dir);
    if (info.isSymbolicLink()) {
      throw new QgateError('OUTPUT_FAILED', 'is a symbolic link; qgate writes its reports only into a real directory.', { file: dir });
    }
    if (!info.isDirectory()) throw new QgateError('OUTPUT_FAILED', 'exists and is not a directory.', { file: dir });
  } catch (error) {
    if (error instanceof QgateError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new QgateError('OUTPUT_FAILED', `cannot be used (${(error as NodeJS.ErrnoException).code}).`, { file: dir });
    }
    try {
      await mkdir(dir, { recursive: true });
    } catch (mkdirError) {
      throw new QgateError('OUTPUT_FAILED', `cannot be created (${(mkdirError as NodeJS.ErrnoException).code}).`, { file: dir });
    }
  }
}

/** Writes one file atomically; rename replaces a symlink at the target instead of following it. */
export async function writeFileSafely(dir: string, name: string, content: string): Promise<string> {
  const target = join(dir, name);
  const temporary = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    throw new QgateError('OUTPUT_FAILED', `cannot be written (${(error as NodeJS.ErrnoException).code}).`, { file: target });
  }
  return target;
}

export async function writeReportFiles(outDir: string, result: QgateResult): Promise<{ resultJson: string }> {
  await ensureRealDirectory(outDir);
  const resultJson = await writeFileSafely(outDir, 'result.json', `${JSON.stringify(result, null, 2)}\n`);
  return { resultJson };
}

/** Removes `result.json` left in `outDir` by an earlier run, when it is a plain file; never follows a symlink. */
export async function removeStaleResult(outDir: string): Promise<void> {
  try {
    const dir = await lstat(outDir);
    if (!dir.isDirectory()) return;
    const target = join(outDir, 'result.json');
    const file = await lstat(target);
    if (file.isFile()) await unlink(target);
  } catch {
    // Nothing there, or not ours to touch: either way no stale verdict is left to publish.
  }
}

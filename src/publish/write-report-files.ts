/**
 * Writing the report files. They are written before any network call, each through a
 * temporary file and a rename, and never through a symlink: a checkout whose MR commits
 * `qgate-report -> /somewhere` must not make qgate write outside it.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { relativeInside } from '../path-inside.js';
import { QgateError } from '../errors.js';

/**
 * The folders from `base` down to `dir`, when `dir` lies inside `base`; else just `dir`.
 * Every one of them is checked: a symlinked parent (`reports -> /elsewhere`, committed in the
 * MR) would otherwise carry the write, or the stale-result removal, outside the checkout.
 */
function foldersToCheck(base: string, dir: string): string[] {
  const inside = relativeInside(base, dir);
  if (inside === null || inside === '') return [dir];
  const folders: string[] = [];
  let current = base;
  for (const part of inside.split(sep)) {
    current = join(current, part);
    folders.push(current);
  }
  return folders;
}

/** Creates `dir` (and its missing parents below `base`) refusing every symlink on the way. */
async function ensureRealDirectory(base: string, dir: string): Promise<void> {
  for (const folder of foldersToCheck(base, dir)) {
    try {
      const info = await lstat(folder);
      if (info.isSymbolicLink()) {
        throw new QgateError('OUTPUT_FAILED', 'is a symbolic link; qgate writes its reports only into real directories.', { file: folder });
      }
      if (!info.isDirectory()) throw new QgateError('OUTPUT_FAILED', 'exists and is not a directory.', { file: folder });
    } catch (error) {
      if (error instanceof QgateError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new QgateError('OUTPUT_FAILED', `cannot be used (${(error as NodeJS.ErrnoException).code}).`, { file: folder });
      }
      try {
        await mkdir(folder, { recursive: true });
      } catch (mkdirError) {
        throw new QgateError('OUTPUT_FAILED', `cannot be created (${(mkdirError as NodeJS.ErrnoException).code}).`, { file: folder });
      }
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

/**
 * Writes the rendered report files into `outDir` (`base` is the working directory the path was
 * given from), `result.json` first. Returns where `result.json` went.
 */
export async function writeReportFiles(base: string, outDir: string, files: ReadonlyArray<readonly [string, string]>): Promise<{ resultJson: string }> {
  await ensureRealDirectory(base, outDir);
  let resultJson = join(outDir, 'result.json');
  for (const [name, content] of files) {
    const path = await writeFileSafely(outDir, name, content);
    if (name === 'result.json') resultJson = path;
  }
  return { resultJson };
}

/** The files a run writes; a failed run removes those an earlier run left, so none is published as its verdict. */
export const REPORT_FILE_NAMES = ['result.json', 'comment.md', 'junit.xml', 'codequality.json', 'metrics.txt', 'cobertura.xml'] as const;

/** Removes the report files an earlier run left in `outDir`, when they are plain files; never follows a symlink. */
export async function removeStaleResult(base: string, outDir: string): Promise<void> {
  try {
    for (const folder of foldersToCheck(base, outDir)) {
      const info = await lstat(folder);
      if (info.isSymbolicLink() || !info.isDirectory()) return;
    }
    for (const name of REPORT_FILE_NAMES) {
      const target = join(outDir, name);
      const file = await lstat(target).catch(() => null);
      if (file?.isFile()) await unlink(target);
    }
  } catch {
    // Nothing there, or not ours to touch: either way no stale verdict is left to publish.
  }
}

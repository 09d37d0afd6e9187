/**
 * Writing the report files. They are written before any network call, each through a
 * temporary file and a rename, and never through a symlink: a checkout whose MR commits
 * `qgate-report -> /somewhere` must not make qgate write outside it.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
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
  const release = await lockOutDir(outDir);
  try {
    for (const [name, content] of files) {
      const path = await writeFileSafely(outDir, name, content);
      if (name === 'result.json') resultJson = path;
    }
    // One consistent set: an earlier run's file this run does not write (cobertura.xml of a run
    // with coverage, before one without) must not be published beside this verdict.
    const written = new Set(files.map(([name]) => name));
    await removeOwnFiles(outDir, (name) => !written.has(name));
  } finally {
    await release();
  }
  return { resultJson };
}

/** The files a run writes; a failed run removes those an earlier run left, so none is published as its verdict. */
export const REPORT_FILE_NAMES = ['result.json', 'comment.md', 'index.html', 'junit.xml', 'codequality.json', 'metrics.txt', 'cobertura.xml'] as const;

/** qgate's temporary files (`.result.json.<hex>.tmp`), left behind by a run killed mid-write. */
const TEMPORARY_FILE = /^\.[\w.-]+\.[0-9a-f]{12}\.tmp$/;

/** Removes qgate's report files that `stale` picks and every leftover temporary file; plain files only. */
async function removeOwnFiles(outDir: string, stale: (name: string) => boolean): Promise<void> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  for (const name of names) {
    const ours = (REPORT_FILE_NAMES as readonly string[]).includes(name) ? stale(name) : TEMPORARY_FILE.test(name);
    if (!ours) continue;
    const target = join(outDir, name);
    const file = await lstat(target).catch(() => null);
    if (file?.isFile() || file?.isSymbolicLink()) await unlink(target).catch(() => undefined);
  }
}

export const LOCK_FILE = '.qgate.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Serialises runs writing into one folder: a lock file holding the writer's pid, created
 * exclusively. A lock whose process is gone (kill -9) is stale and taken over; a live one is
 * waited for, up to `waitMs`, then refused with a message naming the other process.
 */
export async function lockOutDir(outDir: string, waitMs = 15_000): Promise<() => Promise<void>> {
  const lock = join(outDir, LOCK_FILE);
  const started = Date.now();
  for (;;) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => unlink(lock).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new QgateError('OUTPUT_FAILED', `cannot be created (${(error as NodeJS.ErrnoException).code}).`, { file: lock });
      }
    }
    const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    if (!Number.isSafeInteger(holder) || holder <= 0 || !isAlive(holder)) {
      // Stale: its writer died. Removing and retrying keeps the exclusive create the only way in.
      await unlink(lock).catch(() => undefined);
      continue;
    }
    if (Date.now() - started > waitMs) {
      throw new QgateError('OUTPUT_FAILED', `is being written by another qgate run (process ${holder}); two runs must not write one report folder at once.`, {
        file: outDir,
        hint: 'Give each concurrent qgate run its own --out folder, or wait for the other run to finish.',
      });
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}

/** Removes the report files an earlier run left in `outDir`, when they are plain files; never follows a symlink. */
export async function removeStaleResult(base: string, outDir: string): Promise<void> {
  try {
    for (const folder of foldersToCheck(base, outDir)) {
      const info = await lstat(folder);
      if (info.isSymbolicLink() || !info.isDirectory()) return;
    }
    await removeOwnFiles(outDir, () => true);
  } catch {
    // Nothing there, or not ours to touch: either way no stale verdict is left to publish.
  }
}

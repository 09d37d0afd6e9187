/**
 * Writing the report folder. Every write is one whole set: the files go into a fresh folder
 * beside `--out` (same parent, so the rename is atomic) that is then swapped in, so no file of an
 * earlier run survives and no half-written set is ever visible under the `--out` name. Nothing is
 * written through a symlink: a checkout whose MR commits `qgate-report -> /somewhere` must not
 * make qgate write, or delete, outside it.
 *
 * A folder that holds files qgate did not write (`--out .`, or `--out reports` beside the
 * coverage report) is never moved away: there each file is replaced by a rename and the earlier
 * qgate files this write does not produce are removed, the user's own files left alone.
 *
 * One run at a time: a lock file holding the writer's pid, beside the folder (inside it for a
 * shared folder). A lock whose process is gone (kill -9) is taken over; a live one is refused.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { relativeInside } from '../path-inside.js';
import { QgateError } from '../errors.js';

/** The files `qgate check` writes. */
export const REPORT_FILE_NAMES = ['result.json', 'comment.md', 'index.html', 'junit.xml', 'codequality.json', 'metrics.txt', 'cobertura.xml'] as const;

/** Every file a qgate command writes into its folder (check, then scorecard): an earlier one is stale, never the user's. */
const QGATE_FILE_NAMES: readonly string[] = [...REPORT_FILE_NAMES, 'scorecard.json', 'scorecard.csv', 'scorecard.html', 'scorecard.md', 'evidence.json'];

/** The lock inside a shared folder (and where qgate before the folder swap kept it). */
export const LOCK_FILE = '.qgate.lock';

/** qgate's temporary files in a shared folder (`.result.json.<hex>.tmp`), left behind by a run killed mid-write. */
const TEMPORARY_FILE = /^\.[\w.-]+\.[0-9a-f]{12}\.tmp$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `.qgate-report.<hex>.qgate-new` (being written) and `.qgate-report.<hex>.qgate-old` (being removed), beside the folder. */
function leftoverPattern(name: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(name)}\\.[0-9a-f]{12}\\.qgate-(?:new|old)$`);
}

/** The lock beside the folder: `.qgate-report.qgate.lock`. */
export function lockFileFor(outDir: string): string {
  const resolved = resolve(outDir);
  return join(dirname(resolved), `.${basename(resolved)}.qgate.lock`);
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'unknown error';
}

function outputFailed(file: string, error: unknown, what = 'cannot be written'): QgateError {
  return new QgateError('OUTPUT_FAILED', `${what} (${code(error)}).`, { file });
}

/**
 * The folders strictly below `base` down to `dir`, when `dir` lies inside `base`; else just `dir`.
 * Every one of them is checked: a symlinked parent (`reports -> /elsewhere`, committed in the
 * MR) would otherwise carry the write, or the stale-result removal, outside the checkout.
 */
function foldersToCheck(base: string, dir: string): string[] {
  const inside = relativeInside(base, dir);
  if (inside === '') return [];
  if (inside === null) return [dir];
  const folders: string[] = [];
  let current = base;
  for (const part of inside.split(sep)) {
    current = join(current, part);
    folders.push(current);
  }
  return folders;
}

function refuseSymlink(folder: string): QgateError {
  return new QgateError('OUTPUT_FAILED', 'is a symbolic link; qgate writes its reports only into real directories.', { file: folder });
}

/** Creates `dir` (and its missing parents below `base`) refusing every symlink on the way. */
async function ensureRealDirectory(base: string, dir: string): Promise<void> {
  for (const folder of foldersToCheck(base, dir)) {
    try {
      const info = await lstat(folder);
      if (info.isSymbolicLink()) throw refuseSymlink(folder);
      if (!info.isDirectory()) throw new QgateError('OUTPUT_FAILED', 'exists and is not a directory.', { file: folder });
    } catch (error) {
      if (error instanceof QgateError) throw error;
      if (code(error) !== 'ENOENT') throw outputFailed(folder, error, 'cannot be used');
      try {
        await mkdir(folder, { recursive: true });
      } catch (mkdirError) {
        throw outputFailed(folder, mkdirError, 'cannot be created');
      }
    }
  }
}

/** The folder as it is now: missing, or a real directory with its entries; a symlink or file is refused. */
async function inspectOutDir(outDir: string): Promise<string[] | null> {
  let info;
  try {
    info = await lstat(outDir);
  } catch (error) {
    if (code(error) === 'ENOENT') return null;
    throw outputFailed(outDir, error, 'cannot be used');
  }
  if (info.isSymbolicLink()) throw refuseSymlink(outDir);
  if (!info.isDirectory()) throw new QgateError('OUTPUT_FAILED', 'exists and is not a directory.', { file: outDir });
  try {
    return await readdir(outDir);
  } catch (error) {
    throw outputFailed(outDir, error, 'cannot be read');
  }
}

function isQgateEntry(name: string): boolean {
  return QGATE_FILE_NAMES.includes(name) || name === LOCK_FILE || TEMPORARY_FILE.test(name);
}

/** Writes one file atomically; rename replaces a symlink at the target instead of following it. */
export async function writeFileSafely(dir: string, name: string, content: string): Promise<string> {
  const target = join(dir, name);
  const temporary = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw outputFailed(target, error);
  }
  return target;
}

/** Removes qgate's files that `stale` picks and every leftover temporary file; plain files and symlinks only, never followed. */
async function removeOwnFiles(outDir: string, stale: (name: string) => boolean): Promise<void> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  for (const name of names) {
    const ours = QGATE_FILE_NAMES.includes(name) ? stale(name) : TEMPORARY_FILE.test(name);
    if (!ours) continue;
    const target = join(outDir, name);
    // The lock draft of a run taking the lock right now is that run's.
    if (name.startsWith(`${LOCK_FILE}.`) && (await isLiveDraft(target))) continue;
    const file = await lstat(target).catch(() => null);
    if (file?.isFile() || file?.isSymbolicLink()) await unlink(target).catch(() => undefined);
  }
}

/** The folders a killed run left beside `outDir`: removed under the lock, never followed through a symlink. */
async function removeLeftoverFolders(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  const pattern = leftoverPattern(basename(outDir));
  const lockDraft = new RegExp(`^${escapeRegExp(basename(lockFileFor(outDir)))}\\.[0-9a-f]{12}\\.(?:tmp|stale)$`);
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    if (lockDraft.test(name)) {
      // A lock being taken (or a stale one being checked) by a run killed at that moment; a live
      // run's own draft is left to it.
      if (!(await isLiveDraft(join(parent, name)))) await unlink(join(parent, name)).catch(() => undefined);
      continue;
    }
    if (!pattern.test(name)) continue;
    const target = join(parent, name);
    const info = await lstat(target).catch(() => null);
    if (info?.isDirectory()) await rm(target, { recursive: true, force: true }).catch(() => undefined);
    else if (info?.isSymbolicLink()) await unlink(target).catch(() => undefined);
  }
}

/** Refusals because another run holds the lock: that run's files are not stale, never remove them. */
const busyErrors = new WeakSet<object>();

export function isFolderBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && busyErrors.has(error);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

/** A lock draft (`<lock>.<hex>.tmp`) whose writer still runs. */
async function isLiveDraft(path: string): Promise<boolean> {
  const holder = await lockHolder(path);
  return holder !== null && isAlive(holder);
}

async function lockHolder(lock: string): Promise<number | null> {
  const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
  return Number.isSafeInteger(holder) && holder > 0 ? holder : null;
}

/**
 * Takes the lock file `lock` for `outDir`, or refuses: another live qgate holds it. The pid is
 * written before the lock appears (a hard link of a finished file), so a reader never sees an
 * empty lock; a stale one is moved aside and checked before it is removed, so two runs taking
 * over the same dead lock cannot remove each other's.
 */
export async function lockOutDir(outDir: string, lock: string = lockFileFor(outDir)): Promise<() => Promise<void>> {
  const draft = `${lock}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(draft, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    throw outputFailed(lock, error, 'cannot be created');
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, lock);
        return () => unlink(lock).catch(() => undefined);
      } catch (error) {
        if (code(error) !== 'EEXIST' && !(await createLockDirectly(lock, error))) return () => unlink(lock).catch(() => undefined);
      }
      const holder = await lockHolder(lock);
      if (holder !== null && isAlive(holder)) {
        const busy = new QgateError('OUTPUT_FAILED', `is being written by another qgate run (process ${holder}, lock file ${lock}); two runs must not write one report folder at once.`, {
          file: outDir,
          hint: `Give each concurrent qgate run its own --out folder, or wait for the other run to finish (if no qgate is running, delete ${lock}).`,
        });
        busyErrors.add(busy);
        throw busy;
      }
      // Stale: its writer died (kill -9). Moved aside first, and removed only if it is still that dead writer's.
      const aside = `${lock}.${randomBytes(6).toString('hex')}.stale`;
      if (await rename(lock, aside).then(() => true, () => false)) {
        if ((await lockHolder(aside)) === holder) await unlink(aside).catch(() => undefined);
        else await rename(aside, lock).catch(() => unlink(aside).catch(() => undefined));
      }
    }
    throw new QgateError('OUTPUT_FAILED', `cannot be taken: other qgate runs keep replacing it.`, { file: lock });
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/**
 * For a file system without hard links (some network and FUSE mounts): the exclusive create
 * alone. True when the lock exists already (someone else's), false when this run now holds it.
 */
async function createLockDirectly(lock: string, linkError: unknown): Promise<boolean> {
  if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code(linkError))) throw outputFailed(lock, linkError, 'cannot be created');
  try {
    await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
    return false;
  } catch (error) {
    if (code(error) === 'EEXIST') return true;
    throw outputFailed(lock, error, 'cannot be created');
  }
}

/** One run's hold on its report folder: every `write` replaces the whole set. */
export interface ReportFolder {
  /** Replaces the folder's qgate files with exactly `files` (name → content, result.json first). */
  write(files: ReadonlyArray<readonly [string, string]>): Promise<{ resultJson: string }>;
  /** Gives up the lock; safe to call twice. */
  release(): Promise<void>;
}

/**
 * Opens `outDir` for writing (`base` is the working directory the path was given from): checks
 * that no folder on the way is a symlink, takes the lock, and removes what a killed run left.
 */
export async function openReportFolder(base: string, outDir: string): Promise<ReportFolder> {
  const target = resolve(base, outDir);
  const parent = dirname(target);
  // Inside the checkout every folder on the way must be real; a path outside it is the user's own choice.
  if (relativeInside(base, parent) === null) {
    await mkdir(parent, { recursive: true }).catch((error: unknown) => {
      throw outputFailed(parent, error, 'cannot be created');
    });
  } else {
    await ensureRealDirectory(base, parent);
  }
  const entries = await inspectOutDir(target);
  // The working directory itself, or a folder above it, is never moved away; nor a folder the
  // user keeps other files in.
  const shared = relativeInside(target, base) !== null || (entries?.some((name) => !isQgateEntry(name)) ?? false);
  if (shared) return openSharedFolder(target);

  let release: () => Promise<void>;
  try {
    release = await lockOutDir(target);
  } catch (error) {
    // A parent qgate may not write into (a mounted /reports): the folder itself still can be.
    if (entries !== null && error instanceof QgateError && /\((EACCES|EPERM|EROFS)\)/.test(error.message)) return openSharedFolder(target);
    throw error;
  }
  try {
    await removeLeftoverFolders(target);
  } catch (error) {
    await release();
    throw error;
  }
  let released = false;
  return {
    write: (files) => swapIn(target, files),
    async release() {
      if (released) return;
      released = true;
      await release();
    },
  };
}

async function openSharedFolder(target: string): Promise<ReportFolder> {
  await mkdir(target, { recursive: true }).catch((error: unknown) => {
    throw outputFailed(target, error, 'cannot be created');
  });
  const release = await lockOutDir(target, join(target, LOCK_FILE));
  await removeOwnFiles(target, () => false);
  let released = false;
  return {
    write: (files) => writeInPlace(target, files),
    async release() {
      if (released) return;
      released = true;
      await release();
    },
  };
}

async function writeInPlace(outDir: string, files: ReadonlyArray<readonly [string, string]>): Promise<{ resultJson: string }> {
  for (const [name, content] of files) await writeFileSafely(outDir, name, content);
  const written = new Set(files.map(([name]) => name));
  await removeOwnFiles(outDir, (name) => !written.has(name));
  return { resultJson: join(outDir, 'result.json') };
}

/** Writes the set into a fresh folder beside `outDir`, then swaps it in for the earlier one. */
async function swapIn(outDir: string, files: ReadonlyArray<readonly [string, string]>): Promise<{ resultJson: string }> {
  const parent = dirname(outDir);
  const name = basename(outDir);
  const id = randomBytes(6).toString('hex');
  const fresh = join(parent, `.${name}.${id}.qgate-new`);
  try {
    await mkdir(fresh);
  } catch (error) {
    throw outputFailed(fresh, error, 'cannot be created');
  }
  try {
    for (const [file, content] of files) {
      try {
        await writeFile(join(fresh, file), content, { flag: 'wx' });
      } catch (error) {
        throw outputFailed(join(outDir, file), error);
      }
    }
    const entries = await inspectOutDir(outDir);
    if (entries !== null && entries.some((entry) => !isQgateEntry(entry))) {
      // Someone put their own file in meanwhile: it is not ours to move away.
      await rm(fresh, { recursive: true, force: true });
      return await writeInPlace(outDir, files);
    }
    if (entries === null) {
      await rename(fresh, outDir).catch((error: unknown) => {
        throw outputFailed(outDir, error);
      });
    } else {
      // The folder keeps its permissions (a folder the user made group-writable stays so).
      const mode = (await stat(outDir)).mode & 0o7777;
      await chmod(fresh, mode).catch(() => undefined);
      const old = join(parent, `.${name}.${id}.qgate-old`);
      await rename(outDir, old).catch((error: unknown) => {
        throw outputFailed(outDir, error, 'cannot be replaced');
      });
      try {
        await rename(fresh, outDir);
      } catch (error) {
        await rename(old, outDir).catch(() => undefined);
        throw outputFailed(outDir, error, 'cannot be replaced');
      }
      await rm(old, { recursive: true, force: true }).catch(() => undefined);
    }
  } catch (error) {
    await rm(fresh, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return { resultJson: join(outDir, 'result.json') };
}

/** Opens `outDir`, writes one set and lets go: for a command that writes its folder once. */
export async function writeReportFiles(base: string, outDir: string, files: ReadonlyArray<readonly [string, string]>): Promise<{ resultJson: string }> {
  const folder = await openReportFolder(base, outDir);
  try {
    return await folder.write(files);
  } finally {
    await folder.release();
  }
}

/**
 * Removes the report files an earlier run left in `outDir`, when they are plain files; never
 * follows a symlink. The last resort of a failed run whose error report could not be written.
 */
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

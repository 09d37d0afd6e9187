/**
 * Reading the MR's changed source files for index.html's source view. The repository is
 * hostile input too: only tracked regular files inside the checkout are read, never through
 * a symlink (a committed `src/evil.ts -> /etc/passwd`, or a symlinked parent folder), and
 * never more than MAX_SOURCE_BYTES; anything else shows line numbers and status only.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { relativeInside } from '../path-inside.js';

/** Source files larger than this are not shown in index.html (line numbers and status only). */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

export function createSourceReader(repoRoot: string, tracked: ReadonlySet<string>, symlinks: ReadonlySet<string>): (path: string) => string | null {
  const realRoot = realpathSync(repoRoot);
  return (path) => {
    if (!tracked.has(path) || symlinks.has(path)) return null;
    const absolute = resolve(realRoot, path);
    let fd: number | null = null;
    try {
      // A symlinked parent folder would lead outside: the real path must stay inside the real root.
      const inside = relativeInside(realRoot, realpathSync(absolute));
      if (inside === null || inside === '') return null;
      // O_NOFOLLOW: a symlink swapped in after the check is refused, not followed.
      fd = openSync(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
      const info = fstatSync(fd);
      if (!info.isFile() || info.size > MAX_SOURCE_BYTES) return null;
      const buffer = Buffer.alloc(info.size);
      const bytes = buffer.subarray(0, readSync(fd, buffer, 0, info.size, 0));
      return bytes.includes(0) ? null : bytes.toString('utf8');
    } catch {
      return null;
    } finally {
      if (fd !== null) closeSync(fd);
    }
  };
}

/** The files the repository tracks, so report paths can be resolved against what really exists. */
import { gitFailure, streamGit, type GitEnv } from './git-diff.js';

export interface RepoFiles {
  /** Tracked file paths at the index, repo-relative, POSIX separators, unquoted, sorted as git sorts them. */
  files: string[];
  /** The subset of `files` that are symbolic links (mode 120000). */
  symlinks: Set<string>;
}

/**
 * Lists the tracked files from `git ls-files -z --stage`: NUL-separated, so names are never
 * quoted, and with modes, so symlinks are known. Paths are repo-relative from any folder
 * (`--full-name` and the `:(top)` pathspec). Submodules (mode 160000) are folders of another
 * repository, not files, and are left out; a path in a merge conflict is listed once.
 * `env` undefined runs git with the current process's environment.
 */
export async function listRepoFiles(cwd: string, env?: GitEnv): Promise<RepoFiles> {
  const files: string[] = [];
  const symlinks = new Set<string>();
  const args = ['-c', 'core.quotePath=true', 'ls-files', '-z', '--stage', '--full-name', '--', ':(top)'];
  const run = await streamGit(cwd, env, args, async (stdout) => {
    let carry = '';
    let previous: string | null = null;
    const record = (entry: string): void => {
      // "<mode> <object> <stage>\t<path>"
      const tab = entry.indexOf('\t');
      if (tab === -1) return;
      const path = entry.slice(tab + 1);
      if (path === previous) return;
      previous = path;
      const mode = entry.slice(0, entry.indexOf(' '));
      if (mode === '160000') return;
      files.push(path);
      if (mode === '120000') symlinks.add(path);
    };
    for await (const chunk of stdout) {
      const text = carry + (chunk as string);
      let start = 0;
      let nul = text.indexOf('\0');
      while (nul !== -1) {
        record(text.slice(start, nul));
        start = nul + 1;
        nul = text.indexOf('\0', start);
      }
      carry = text.slice(start);
    }
    if (carry.length > 0) record(carry);
  });
  if (run.code !== 0) throw gitFailure(cwd, args, run.code, run.stderr);
  return { files, symlinks };
}

/** Finding the repository's top-level folder, so reports and diffs agree on what a repo path is. */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';

/** The absolute, symlink-free top-level folder of the repository containing `cwd`, or null outside any repository. */
export function findRepoRoot(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string | null> {
  return new Promise((resolvePromise) => {
    execFile('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', env: { ...env, GIT_PAGER: 'cat' } }, (error, stdout) => {
      if (error) {
        resolvePromise(null);
        return;
      }
      realpath(stdout.replace(/\r?\n$/, '')).then(resolvePromise, () => resolvePromise(null));
    });
  });
}

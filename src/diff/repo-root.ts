/** Finding the repository's top-level folder, so reports and diffs agree on what a repo path is. */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { QgateError } from '../errors.js';

/**
 * The absolute, symlink-free top-level folder of the repository containing `cwd`, or null outside
 * any repository. A checkout owned by another user (a container running as non-root over the
 * runner's checkout) is refused by git's `safe.directory` check: that is said as such, with the fix.
 */
export function findRepoRoot(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string | null> {
  return new Promise((resolvePromise, rejectPromise) => {
    execFile('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', env: { ...env, GIT_PAGER: 'cat' } }, (error, stdout, stderr) => {
      if (error) {
        const dubious = /detected dubious ownership in repository at '([^'\n]*)'/.exec(stderr);
        if (dubious) {
          rejectPromise(
            new QgateError('GIT_FAILED', `git refuses the checkout ${dubious[1]}: it belongs to another user than the one running qgate.`, {
              hint: `Run \`git config --global --add safe.directory '${dubious[1]}'\` before qgate (qgate's image already trusts every checkout), or run the job as the checkout's owner.`,
            }),
          );
          return;
        }
        resolvePromise(null);
        return;
      }
      realpath(stdout.replace(/\r?\n$/, '')).then(resolvePromise, () => resolvePromise(null));
    });
  });
}

/**
 * git for the diff unit tests, isolated from the machine: no system or user config, a fixed
 * identity, and GIT_CEILING_DIRECTORIES so a test folder never finds a repository above it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The environment for git under `root` (its HOME is `root/home`, which the caller creates). */
export function isolatedGitEnv(root: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(root, 'home'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CEILING_DIRECTORIES: root,
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
  };
}

/** Runs git in `cwd` with `env`; its stdout, trimmed. */
export async function runGit(env: Record<string, string>, cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env, encoding: 'utf8' });
  return stdout.trim();
}

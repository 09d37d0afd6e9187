// Builds a real-world merge request of fixtures/real-mr/<name> as a git repository: `main` holds
// head/ with mr.patch taken back out (`git apply -R`), the MR branch holds head/ as the project
// had it, and coverage/ holds the project's own report of that commit (untracked, as CI
// artifacts are). fixtures/real-mr/README.md names the projects, commits and licences.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REAL_MR_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'real-mr');

function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Sample Author',
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_NAME: 'Sample Author',
      GIT_COMMITTER_EMAIL: 'author@example.com',
      GIT_AUTHOR_DATE: '2026-01-05T10:00:00Z',
      GIT_COMMITTER_DATE: '2026-01-05T10:00:00Z',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  }).trim();
}

/** Creates the repository of fixtures/real-mr/<name> in a new temporary folder; returns its path and the base SHA. */
export function makeRealMrRepo(name, parent = tmpdir()) {
  const fixture = join(REAL_MR_DIR, name);
  const repo = mkdtempSync(join(parent, `qgate-${name}-`));
  git(repo, 'init', '-q', '-b', 'main');
  cpSync(join(fixture, 'head'), repo, { recursive: true });
  git(repo, 'apply', '-R', join(fixture, 'mr.patch'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'target branch');
  const baseSha = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'switch', '-q', '-c', 'merge-request');
  cpSync(join(fixture, 'head'), repo, { recursive: true });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'merge request');
  cpSync(join(fixture, 'coverage'), join(repo, 'coverage'), { recursive: true });
  return { repo, baseSha };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { repo, baseSha } = makeRealMrRepo(process.argv[2] ?? 'jest-azure-demo');
  process.stdout.write(`${repo}\n${baseSha}\n`);
}

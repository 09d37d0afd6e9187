// Builds the quick-start sample as a real git repository: `main` holds fixtures/sample/base,
// `feature/low-stock` lays fixtures/sample/mr over it, and coverage/ holds the real reports
// (untracked, as CI artifacts are). Used by `npm run sample` and the end-to-end tests.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sampleDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sample');

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

/** Creates the sample repository in a new temporary folder and returns its path and the base SHA. */
export function makeSampleRepo(parent = tmpdir()) {
  const repo = mkdtempSync(join(parent, 'qgate-sample-'));
  git(repo, 'init', '-q', '-b', 'main');
  cpSync(join(sampleDir, 'base'), repo, { recursive: true });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'inventory: reserve and restock');
  const baseSha = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'switch', '-q', '-c', 'feature/low-stock');
  cpSync(join(sampleDir, 'mr'), repo, { recursive: true });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Add lowStock and guard reserve against bad quantities');
  cpSync(join(sampleDir, 'coverage'), join(repo, 'coverage'), { recursive: true });
  return { repo, baseSha };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { repo, baseSha } = makeSampleRepo();
  process.stdout.write(`${repo}\n${baseSha}\n`);
}

// `npm run sample`: builds the sample repository and runs qgate on it the way a merge
// request pipeline would (the base SHA in CI_MERGE_REQUEST_DIFF_BASE_SHA).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSampleRepo } from './make-sample-repo.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
const { repo, baseSha } = makeSampleRepo();
const args = ['check', '--coverage', 'coverage/cobertura-coverage.xml'];
process.stdout.write(`Sample merge request in ${repo}\n$ qgate ${args.join(' ')}\n\n`);
const run = spawnSync(process.execPath, [cli, ...args], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha },
});
const meaning = { 0: 'gates pass', 1: 'a blocking gate failed', 2: 'usage or configuration error', 3: 'unreadable input or environment error' };
process.stdout.write(`\nqgate exited ${run.status} (${meaning[run.status] ?? 'unexpected'}); the full decision is in ${join(repo, 'qgate-report', 'result.json')}\n`);
// The sample is meant to fail its gate; only a qgate crash makes this script fail.
process.exitCode = run.status === 0 || run.status === 1 ? 0 : 1;

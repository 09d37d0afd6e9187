// Runs a REAL Stryker (the @stryker-mutator/core and vitest-runner installed in this repository)
// on the tiny sample project in fixtures/mutation/stryker-project/ and writes what it produced:
//   <out>/stryker-sample.mutation.json   the json reporter's report, byte for byte
//   <out>/stryker-sample.clear-text.txt  the clear-text reporter's output (score table, survivors)
// <out> defaults to fixtures/mutation/generated/. Then run scripts/mutation-expected.mjs to refresh
// the golden <case>.expected.json files.
//
//   node scripts/make-stryker-fixture.mjs [--out DIR] [--keep]
//
// How it runs, and why (the least fragile way found):
// - On a temporary COPY of the project: Stryker writes reports/, a .stryker-tmp/ sandbox and
//   stryker.log into its working directory; the fixture folder stays clean.
// - The copy gets a `node_modules` symlink to this repository's node_modules: the sample's test
//   imports `vitest`, and Stryker's sandbox re-links the node_modules it finds in the project.
// - No `--plugins`: Stryker's default plugin glob `@stryker-mutator/*` is resolved next to
//   @stryker-mutator/core itself (core/dist/src/di/plugin-loader.js), so the vitest runner
//   installed beside it is found from any working directory.
// - Stryker is started as `node <core>/bin/stryker.js run`, the file node_modules/.bin/stryker
//   links to, so no shell and no PATH lookup is involved.
// It takes about 10 seconds; test/inputs/mutation/stryker-run.test.ts runs it into a temporary
// folder and compares the fresh run with qgate's counts too.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const projectDir = join(repoRoot, 'fixtures', 'mutation', 'stryker-project');
const strykerBin = join(repoRoot, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

/** Log lines of Stryker's logger ("13:34:20 (19070) INFO ProjectReader ..."): they carry times and pids. */
const LOG_LINE = /^\d{2}:\d{2}:\d{2} \(\d+\) [A-Z]+ /;
// eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters
const ANSI = /\x1b\[[0-9;]*m/g;

/** The clear-text reporter's output: stdout without the logger's timestamped lines and colours. */
export function clearTextOf(stdout) {
  return `${stdout
    .replace(ANSI, '')
    .split(/\r?\n/)
    .filter((line) => !LOG_LINE.test(line))
    .join('\n')
    .trim()}\n`;
}

/**
 * Runs Stryker on a temporary copy of the sample project.
 * @returns {{ report: string, clearText: string, workDir: string }} the report text and the clear-text output
 */
export function runStrykerOnSample({ keep = false } = {}) {
  if (!existsSync(strykerBin)) throw new Error(`Stryker is not installed at ${strykerBin}; run npm ci first.`);
  const workDir = mkdtempSync(join(tmpdir(), 'qgate-stryker-'));
  try {
    cpSync(projectDir, workDir, { recursive: true, filter: (source) => !/[\\/](?:node_modules|reports|\.stryker-tmp)$/.test(source) });
    symlinkSync(join(repoRoot, 'node_modules'), join(workDir, 'node_modules'), 'junction');
    const run = spawnSync(process.execPath, [strykerBin, 'run'], {
      cwd: workDir,
      encoding: 'utf8',
      // No colours in the captured output; CI=true as in a pipeline (Stryker records it in system.ci).
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) {
      throw new Error(`Stryker failed (exit ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
    }
    const report = readFileSync(join(workDir, 'reports', 'mutation', 'mutation.json'), 'utf8');
    return { report, clearText: clearTextOf(run.stdout), workDir };
  } finally {
    if (!keep) rmSync(workDir, { recursive: true, force: true });
  }
}

function main(argv) {
  const outIndex = argv.indexOf('--out');
  const out = outIndex === -1 ? join(repoRoot, 'fixtures', 'mutation', 'generated') : resolve(argv[outIndex + 1] ?? '.');
  mkdirSync(out, { recursive: true });
  const { report, clearText, workDir } = runStrykerOnSample({ keep: argv.includes('--keep') });
  writeFileSync(join(out, 'stryker-sample.mutation.json'), report);
  writeFileSync(join(out, 'stryker-sample.clear-text.txt'), clearText);
  process.stdout.write(`wrote ${join(out, 'stryker-sample.mutation.json')} and the clear-text output${argv.includes('--keep') ? ` (work dir kept: ${workDir})` : ''}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));

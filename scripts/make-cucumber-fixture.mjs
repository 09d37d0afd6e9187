#!/usr/bin/env node
/**
 * Runs the real cucumber-js (the dev dependency @cucumber/cucumber) on the small feature set in
 * fixtures/e2e/cucumber-js-project/ with `--retry 1` and four formatters at once — json, message
 * (NDJSON), junit and summary — so that one run gives qgate's three input formats plus the
 * producer's own counts (`12 scenarios (2 failed, ...)` in the summary) to check them against.
 *
 *   node scripts/make-cucumber-fixture.mjs                   # writes fixtures/e2e/generated/cucumber-js<major>__reservations.*
 *   node scripts/make-cucumber-fixture.mjs --out DIR         # somewhere else (the test suite uses a temp dir)
 *   node scripts/make-cucumber-fixture.mjs --tags "not @wip" # cucumber's own tag filter, to check qgate's
 *
 * cucumber-js exits 1 because the feature set fails on purpose; this script fails only when the
 * run did not write its reports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECT = join(ROOT, 'fixtures', 'e2e', 'cucumber-js-project');
const CUCUMBER_BIN = join(ROOT, 'node_modules', '.bin', 'cucumber-js');

function parseArgs(argv) {
  const options = { out: join(ROOT, 'fixtures', 'e2e', 'generated'), tags: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--out' || arg === '--tags') && value !== undefined) {
      options[arg.slice(2)] = arg === '--out' ? resolve(value) : value;
      i += 1;
    } else {
      throw new Error(`unknown argument ${arg}; usage: make-cucumber-fixture.mjs [--out DIR] [--tags EXPRESSION]`);
    }
  }
  return options;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CUCUMBER_BIN)) throw new Error(`${CUCUMBER_BIN} is missing: run npm install (it is a dev dependency).`);
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'package.json'), 'utf8'));
  const name = `cucumber-js${version.split('.')[0]}__reservations`;
  mkdirSync(options.out, { recursive: true });
  const outputs = {
    json: join(options.out, `${name}.json`),
    message: join(options.out, `${name}.ndjson`),
    junit: join(options.out, `${name}.junit.xml`),
    summary: join(options.out, `${name}.summary.txt`),
  };
  const args = [
    CUCUMBER_BIN,
    'features/reservations.feature',
    '--import',
    'features/support/*.mjs',
    '--retry',
    '1',
    '--order',
    'defined',
    ...Object.entries(outputs).flatMap(([format, path]) => ['--format', `${format}:${path}`]),
    ...(options.tags === null ? [] : ['--tags', options.tags]),
  ];
  // Run from the project folder: its step definitions import @cucumber/cucumber, which resolves
  // to this repository's node_modules, and the reports then name `features/reservations.feature`.
  const run = spawnSync(process.execPath, args, {
    cwd: PROJECT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CUCUMBER_PUBLISH_QUIET: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (run.error) throw run.error;
  const missing = Object.values(outputs).filter((path) => !existsSync(path));
  const summary = existsSync(outputs.summary) ? readFileSync(outputs.summary, 'utf8') : '';
  const line = /^\d+ scenarios? .*$/m.exec(summary)?.[0];
  if (missing.length > 0 || line === undefined) {
    throw new Error(`cucumber-js (exit ${run.status}) did not write its reports (${missing.join(', ') || 'no scenario line in the summary'}):\n${run.stderr}`);
  }
  process.stdout.write(`cucumber-js ${version}, exit ${run.status}: ${line}\n${Object.values(outputs).join('\n')}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`make-cucumber-fixture: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

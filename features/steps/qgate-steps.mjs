// Step definitions for qgate's own acceptance features: each scenario builds the bundled sample
// merge request as a real temporary git repository (scripts/make-sample-repo.mjs) and runs the
// built CLI (dist/cli/main.js) on it the way a pipeline does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { After, Before, Given, Then, When, setDefaultTimeout } from '@cucumber/cucumber';
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';

const CLI = resolve(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)));

setDefaultTimeout(60_000);

Before(function () {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm run test:acceptance\` does).`);
});

After(function () {
  if (this.repo) rmSync(this.repo, { recursive: true, force: true });
});

/** Runs `qgate check` in the sample repository with a scrubbed environment (no CI_* from outside). */
function check(world, extraArgs) {
  const args = ['check', '--base', world.baseSha, '--no-comment', ...extraArgs];
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: world.repo,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), GIT_CONFIG_NOSYSTEM: '1' },
  });
  world.run = { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function result(world) {
  return JSON.parse(readFileSync(join(world.repo, 'qgate-report', 'result.json'), 'utf8'));
}

function gate(world, id) {
  const found = result(world).gates.find((candidate) => candidate.id === id);
  assert.ok(found, `result.json has no ${id} gate`);
  return found;
}

function comment(world) {
  return readFileSync(join(world.repo, 'qgate-report', 'comment.md'), 'utf8');
}

function writeConfig(world, gateSettings) {
  writeFileSync(join(world.repo, '.qgate.yml'), `gates:\n  new_code_coverage:\n${gateSettings.map((line) => `    ${line}\n`).join('')}`);
}

function output(world) {
  return `exit ${world.run.status}\n--- stdout\n${world.run.stdout}\n--- stderr\n${world.run.stderr}`;
}

// --- Given ---------------------------------------------------------------------------------

Given('the inventory merge request with its coverage report', function () {
  const { repo, baseSha } = makeSampleRepo(tmpdir());
  this.repo = repo;
  this.baseSha = baseSha;
});

Given('the team requires {int}% coverage on new code', function (min) {
  writeConfig(this, [`min: ${min}`]);
});

Given('the team requires {int}% coverage on new code and ignores files no report measured', function (min) {
  writeConfig(this, [`min: ${min}`, 'unmeasuredFiles: ignore']);
});

Given('the team requires {int}% coverage on new code and fails on files no report measured', function (min) {
  writeConfig(this, [`min: ${min}`, 'unmeasuredFiles: fail']);
});

Given('a file {string} containing {string}', function (path, text) {
  writeFileSync(join(this.repo, path), text);
});

Given('an end-to-end run in which the scenario {string} failed', function (name) {
  // Cucumber JSON, the format every Cucumber implementation can write.
  const report = [
    {
      uri: 'features/checkout.feature',
      id: 'checkout',
      keyword: 'Feature',
      name: 'Checkout',
      line: 1,
      elements: [
        {
          id: 'checkout;hostile',
          keyword: 'Scenario',
          type: 'scenario',
          name,
          line: 3,
          steps: [{ keyword: 'Given ', name: 'a cart', line: 4, result: { status: 'failed', duration: 1000, error_message: 'expected 1 item' } }],
        },
      ],
    },
  ];
  this.cucumberReport = join(this.repo, 'cucumber-report.json');
  writeFileSync(this.cucumberReport, JSON.stringify(report));
});

// --- When ----------------------------------------------------------------------------------

When('the quality gate checks the merge request', function () {
  check(this, ['--coverage', 'coverage/lcov.info']);
});

When('the quality gate checks the merge request with the coverage report {string}', function (path) {
  check(this, ['--coverage', path]);
});

When('the quality gate checks the merge request with that end-to-end run', function () {
  check(this, ['--coverage', 'coverage/lcov.info', '--cucumber', this.cucumberReport]);
});

// --- Then ----------------------------------------------------------------------------------

Then('the merge request is blocked', function () {
  assert.equal(this.run.status, 1, output(this));
  assert.equal(result(this).verdict, 'fail');
});

Then('the merge request may merge', function () {
  assert.equal(this.run.status, 0, output(this));
  assert.equal(result(this).verdict, 'pass');
});

Then('the new-code coverage gate fails at {float}% against a minimum of {int}%', function (actual, min) {
  assert.deepEqual(
    (({ status, actual: value, threshold }) => ({ status, actual: value, threshold }))(gate(this, 'new_code_coverage')),
    { status: 'fail', actual, threshold: min },
  );
});

Then('the new-code coverage gate passes at {float}%', function (actual) {
  const found = gate(this, 'new_code_coverage');
  assert.equal(found.status, 'pass');
  assert.equal(found.actual, actual);
});

Then('the new-code coverage gate warns', function () {
  assert.equal(this.run.status, 0, output(this));
  assert.equal(gate(this, 'new_code_coverage').status, 'warn');
});

Then('the uncovered new lines {string} are named', function (lines) {
  assert.ok(this.run.stdout.includes(lines), output(this));
});

Then('{string} is listed as a changed source file in no coverage report', function (path) {
  assert.deepEqual(result(this).coverage.newCode.unmeasuredFiles, [path]);
  const log = this.run.stdout.split('\n');
  const heading = log.indexOf('Changed source files in no coverage report:');
  assert.ok(heading >= 0 && log[heading + 1].trim() === path, output(this));
});

Then('{string} is not counted among the covered new lines', function (path) {
  const newCode = result(this).coverage.newCode;
  const file = newCode.files.find((candidate) => candidate.path === path);
  assert.equal(file?.status, 'unmeasured');
  assert.deepEqual(file.coveredLines ?? [], []);
  // Only the measured file's lines count: 5 of 7 in src/stock.js, none from the unmeasured file.
  assert.deepEqual({ covered: newCode.covered, total: newCode.total }, { covered: 5, total: 7 });
});

Then('the check stops with exit code {int}', function (code) {
  assert.equal(this.run.status, code, output(this));
});

Then('the error names {string} with the code {string}', function (path, code) {
  assert.ok(this.run.stderr.includes(path), output(this));
  assert.ok(this.run.stderr.includes(code), output(this));
});

Then('the error says what to do', function () {
  assert.match(this.run.stderr, /What to do: \S/);
});

Then('the error shows no stack trace', function () {
  const text = this.run.stdout + this.run.stderr;
  assert.ok(!/\n\s+at .+[:(]\d+/.test(text) && !text.includes('node:internal'), output(this));
});

Then('no verdict is written, only the error report naming {string}', function (file) {
  const written = result(this);
  assert.deepEqual(written.gates, [], JSON.stringify(written));
  assert.equal(written.error?.file, file, JSON.stringify(written));
  assert.ok(comment(this).includes('qgate could not check this merge request'), comment(this));
  assert.deepEqual(readdirSync(join(this.repo, 'qgate-report')).sort(), ['comment.md', 'result.json']);
});

Then('the comment contains no {string}', function (text) {
  assert.ok(!comment(this).includes(text), comment(this));
});

Then('the comment mentions nobody with {string}', function (mention) {
  assert.ok(!comment(this).includes(mention), comment(this));
});

Then('the comment contains no link to {string}', function (scheme) {
  // `\](` is an escaped bracket, plain text in GitLab Flavored Markdown; only an unescaped `](` opens a link.
  const link = new RegExp(`(?<!\\\\)\\]\\(${scheme.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  assert.ok(!link.test(comment(this)), comment(this));
});

Then('the comment shows the failed scenario in one table row', function () {
  const lines = comment(this).split('\n');
  const row = lines.findIndex((line) => line.includes('alert') && line.startsWith('|'));
  assert.ok(row >= 0, comment(this));
  let header = row;
  while (header > 0 && lines[header - 1].startsWith('|')) header -= 1;
  const cells = (line) => line.split(/(?<!\\)\|/).length;
  assert.equal(cells(lines[row]), cells(lines[header]), `the scenario row breaks the table:\n${lines[row]}`);
});

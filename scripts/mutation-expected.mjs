// Writes the golden <case>.expected.json of every mutation report fixture, from the REFERENCE
// implementation of the scores: mutation-testing-metrics (the library behind Stryker's HTML
// report and dashboard). It shares no code with src/: totals come from
// calculateMutationTestMetrics(report).systemUnderTestMetrics.metrics, per-file figures from
// calculateMetrics({ [key]: file }).metrics, both as metrics returns them (its field names).
//
//   node scripts/mutation-expected.mjs
//
// Cases: fixtures/mutation/stryker/*.json and fixtures/mutation/generated/*.mutation.json.
// Where the producer stated its own figures they are added under "producer":
// - stryker-js9__mutation.json: generated/README.md of the shared corpus (killed 20, survived 5,
//   no coverage 5, timeout 0; 66.67% of 30 valid);
// - Infection's report carries its own top-level "mutationScore";
// - the sample run's figures are in stryker-sample.clear-text.txt (the test parses that table).
//
// Two choices, documented in the expected files as "notes":
// - metrics' mutationScore is NaN when no mutant is valid; JSON has no NaN, so it is written null.
// - Stryker.NET's legacy statuses (BuildError, Skipped) are not in metrics' vocabulary: metrics
//   counts them nowhere (not even in totalMutants). This script renames them as Stryker.NET
//   itself later did (BuildError → CompileError, Skipped → Ignored) before calling metrics, and
//   checks that the score, detected and valid are the same with and without the renaming.
//
// For stryker-js9__mutation.json it also computes the new-code figures for the quick-start
// sample's merge request (fixtures/sample): the changed lines come from `git diff --no-index -U0`
// of fixtures/sample/base/src/stock.js and mr/src/stock.js, and a mutant is on new code when a
// changed line lies between its start line and its end line (an end at column 1 is exclusive).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calculateMetrics, calculateMutationTestMetrics } from 'mutation-testing-metrics';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(repoRoot, 'fixtures', 'mutation');
const LEGACY = { BuildError: 'CompileError', Skipped: 'Ignored' };
const METRICS_VERSION = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'mutation-testing-metrics', 'package.json'), 'utf8')).version;

const PRODUCER_FIGURES = {
  'stryker-js9__mutation': {
    source: 'generated/README.md of the shared real-fixture corpus (what the producer reported for the run)',
    killed: 20,
    survived: 5,
    noCoverage: 5,
    timeout: 0,
    totalValid: 30,
    mutationScore: 66.67,
  },
};

function plainMetrics(metrics) {
  const out = {};
  for (const key of [
    'killed', 'timeout', 'survived', 'noCoverage', 'compileErrors', 'runtimeErrors', 'ignored', 'pending',
    'totalDetected', 'totalUndetected', 'totalValid', 'totalInvalid', 'totalMutants', 'mutationScore',
  ]) {
    const value = metrics[key];
    out[key] = typeof value === 'number' && Number.isNaN(value) ? null : value;
  }
  return out;
}

function renameLegacy(report) {
  const counts = {};
  const copy = JSON.parse(JSON.stringify(report));
  for (const file of Object.values(copy.files)) {
    for (const mutant of file.mutants) {
      if (Object.hasOwn(LEGACY, mutant.status)) {
        counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
        mutant.status = LEGACY[mutant.status];
      }
    }
  }
  return { copy, counts };
}

function changedLines(base, head) {
  let diff;
  try {
    diff = execFileSync('git', ['diff', '--no-index', '-U0', base, head], { encoding: 'utf8' });
  } catch (error) {
    if (error.status !== 1) throw error;
    diff = error.stdout; // exit 1 = the files differ
  }
  const lines = [];
  for (const match of diff.matchAll(/^@@ -\S+ \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    for (let line = start; line < start + count; line++) lines.push(line);
  }
  return lines;
}

function newCodeFigures(report) {
  const sample = join(repoRoot, 'fixtures', 'sample');
  const lines = changedLines(join(sample, 'base', 'src', 'stock.js'), join(sample, 'mr', 'src', 'stock.js'));
  const touches = (mutant) => {
    const { start, end } = mutant.location;
    const last = end.line > start.line && end.column <= 1 ? end.line - 1 : Math.max(end.line, start.line);
    return lines.some((line) => line >= start.line && line <= last);
  };
  const mutants = report.files['src/stock.js'].mutants.filter(touches);
  const metrics = calculateMetrics({ 'src/stock.js': { ...report.files['src/stock.js'], mutants } }).metrics;
  return {
    source: 'fixtures/sample: git diff --no-index -U0 base/src/stock.js mr/src/stock.js',
    changedLines: { 'src/stock.js': lines },
    metrics: plainMetrics(metrics),
    undetectedIds: mutants
      .filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage')
      .map((mutant) => mutant.id)
      .sort((a, b) => Number(a) - Number(b)),
  };
}

function expectedFor(path, name) {
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  const { copy, counts } = renameLegacy(raw);
  const totals = plainMetrics(calculateMutationTestMetrics(copy).systemUnderTestMetrics.metrics);
  const notes = [];
  if (Object.keys(counts).length > 0) {
    const unrenamed = plainMetrics(calculateMutationTestMetrics(raw).systemUnderTestMetrics.metrics);
    for (const key of ['mutationScore', 'totalDetected', 'totalValid']) {
      if (unrenamed[key] !== totals[key]) throw new Error(`${name}: renaming legacy statuses changed ${key}`);
    }
    notes.push(
      `Legacy Stryker.NET statuses ${JSON.stringify(counts)} were renamed (BuildError → CompileError, Skipped → Ignored) before metrics ran; without the renaming metrics counts them nowhere, and its mutationScore, totalDetected and totalValid are the same.`,
    );
  }
  if (totals.mutationScore === null) notes.push('metrics says NaN for the score (no valid mutant); written as null.');
  const files = {};
  for (const [key, file] of Object.entries(copy.files)) files[key] = plainMetrics(calculateMetrics({ [key]: file }).metrics);
  const expected = {
    source: `mutation-testing-metrics ${METRICS_VERSION}: calculateMutationTestMetrics (totals), calculateMetrics per file; written by scripts/mutation-expected.mjs`,
    schemaVersion: raw.schemaVersion,
    ...(notes.length > 0 ? { notes } : {}),
    totals,
    files,
  };
  if (PRODUCER_FIGURES[name]) expected.producer = PRODUCER_FIGURES[name];
  if (typeof raw.mutationScore === 'number') {
    expected.producer = { source: 'the report’s own top-level "mutationScore" (written by the producer)', mutationScore: raw.mutationScore };
  }
  if (name === 'stryker-js9__mutation') expected.newCode = newCodeFigures(copy);
  return expected;
}

const cases = [
  ...readdirSync(join(fixtures, 'stryker'))
    .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
    .map((file) => join(fixtures, 'stryker', file)),
  ...readdirSync(join(fixtures, 'generated'))
    .filter((file) => file.endsWith('.mutation.json'))
    .map((file) => join(fixtures, 'generated', file)),
];
for (const path of cases) {
  const name = path.split(/[\\/]/).pop().replace(/\.json$/, '');
  const target = join(dirname(path), `${name}.expected.json`);
  writeFileSync(target, `${JSON.stringify(expectedFor(path, name), null, 2)}\n`);
  process.stdout.write(`${target}\n`);
}

// StrykerJS on qgate itself (`npm run test:mutation`): a bounded, fast mutate set — the pure
// gate evaluators and the new-code coverage measure — so a run finishes in minutes on a
// 2-core runner. (src/diff/parse-unified-diff.ts alone is ~1,330 mutants and its related
// tests spawn git: about an hour on 2 cores, so it is left to a scheduled, wider run.) reports/mutation/mutation.json is the evidence
// qgate's own mutation gate reads. (fixtures/mutation/stryker-project has its own,
// separate stryker.config.json for the Stryker fixture test; this file does not touch it.)

// test/inputs/mutation/stryker-run.test.ts starts a nested Stryker run when it is related:
// never inside this one. The test runner workers inherit this environment.
process.env.QGATE_SKIP_STRYKER = '1';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Only the test files that import a mutated file run (vitest's module graph), per test.
  vitest: { configFile: 'vitest.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: ['src/gates/**/*.ts', 'src/measure/new-code-coverage.ts'],
  // Static mutants (module-level tables) need every test per mutant: the slow part, left out.
  ignoreStatic: true,
  checkers: [],
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, allowEmojis: false, logTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 80, low: 60, break: null },
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

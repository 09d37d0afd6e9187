// cucumber-js configuration for qgate's own acceptance features (`npm run test:acceptance`).
// The Messages NDJSON and JUnit XML are the evidence qgate's e2e gate reads in its own pipeline.
export default {
  paths: ['features/**/*.feature'],
  import: ['features/steps/**/*.mjs'],
  format: ['progress', 'message:reports/cucumber/messages.ndjson', 'junit:reports/cucumber/junit.xml'],
  formatOptions: { junit: { suiteName: 'qgate acceptance' } },
  strict: true,
};

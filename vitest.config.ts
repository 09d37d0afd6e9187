import { defineConfig } from 'vitest/config';

/**
 * Two tiers (docs/design.md, "Test tiers"):
 * - `unit`: modules in process, with real git repositories, real fixtures and the loopback fake
 *   GitLab; `npm test`, the one to run after every change.
 * - `e2e`: the built CLI as a pipeline runs it, Chromium, gitlab-ci-local, diff-cover;
 *   `npm run test:e2e` (it builds first). `npm run test:all` runs both, as CI does.
 */
const E2E = ['test/e2e/**/*.test.ts', 'test/**/*-chromium.test.ts', 'test/fuzz/**/*-cli.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});

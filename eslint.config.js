import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import direction (docs/design.md, "Stages and import rules"): a stage never imports a later
 * one. Core `no-restricted-imports` suffices for folder rules, with no extra plugin to keep in
 * step with ESLint 10. Import cycles (type-only included) fail `npm run lint:cycles`
 * (dependency-cruiser, .dependency-cruiser.cjs), part of `npm run lint`.
 */
const later = (...stages) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: stages.map((stage) => ({
        group: stage === 'run' ? ['**/run.js', '**/run-gitlab.js'] : [`**/${stage}/**`],
        message: `a stage may not import a later one (${stage}): see docs/design.md, "Stages and import rules".`,
      })),
    },
  ],
});
const TOP = ['scorecard', 'cli', 'run'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'fixtures/**', 'bench-out/**', '.gitlab-ci-local/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='exit']", message: 'Only src/cli may end the process.' }],
    },
  },
  {
    files: ['src/cli/**', 'scripts/**', 'test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['src/model/**'], rules: later('inputs', 'measure', 'gates', 'render', 'publish', 'gitlab', 'config', ...TOP) },
  { files: ['src/inputs/**', 'src/measure/**'], rules: later('gates', 'render', 'publish', 'gitlab', ...TOP) },
  { files: ['src/gates/**'], rules: later('render', 'publish', 'gitlab', ...TOP) },
  { files: ['src/render/**'], rules: later('publish', 'gitlab', ...TOP) },
  { files: ['src/publish/**', 'src/gitlab/**'], rules: later(...TOP) },
);

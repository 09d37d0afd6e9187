/** GitLab's CI variables, parsed once: the parser lives in src/ci-env.ts so earlier stages can read it too. */
export * from '../ci-env.js';

// `npm run screenshots`: runs qgate on three merge requests — the bundled sample (fails), a real
// project's failing MR and a real project's passing MR (fixtures/real-mr/README.md) — and with
// Debian's Chromium (playwright-core, headless) captures each index.html and each comment.md as
// GitLab renders it (scripts/gitlab-comment-page.mjs) at 1,280 and 400 px wide, into docs/images/.
// test/e2e/screenshots-chromium.test.ts runs the same cases and checks what the pictures show.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commentPage } from './gitlab-comment-page.mjs';
import { makeRealMrRepo, REAL_MR_DIR } from './make-real-mr-repo.mjs';
import { makeSampleRepo } from './make-sample-repo.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const WIDTHS = [1280, 400];

/** The three cases: how to build each repository and what to pass to qgate. */
export const CASES = [
  { name: 'sample', expectExit: 1, make: (parent) => makeSampleRepo(parent), project: 'acme/inventory', args: ['--coverage', 'coverage/cobertura-coverage.xml'] },
  {
    name: 'real-failing',
    expectExit: 1,
    make: (parent) => makeRealMrRepo('jest-azure-demo', parent),
    project: 'demo/jest-azure-demo',
    args: ['--config', join(REAL_MR_DIR, 'jest-azure-demo', 'qgate.yml'), '--coverage', 'coverage/lcov.info'],
  },
  { name: 'real-passing', expectExit: 0, make: (parent) => makeRealMrRepo('nodejs-loaders-65', parent), project: 'demo/nodejs-loaders', args: ['--coverage', 'coverage/lcov.info'] },
];

function git(cwd, ...args) {
  return spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();
}

/**
 * Builds the case's repository under `parent`, runs `qgate check` there as a merge request pipeline
 * would (GitLab CI variables for the links, no comment posted) and writes comment.html, the comment
 * in a GitLab-like page, next to comment.md. Returns the paths and qgate's exit code.
 */
export function runCase(testCase, parent) {
  const { repo, baseSha } = testCase.make(parent);
  const head = git(repo, 'rev-parse', 'HEAD');
  const projectUrl = `https://gitlab.example.com/${testCase.project}`;
  const run = spawnSync(process.execPath, [CLI, 'check', ...testCase.args, '--no-comment'], {
    cwd: repo,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_GLOBAL: '/dev/null',
      CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha,
      CI_PROJECT_URL: projectUrl,
      CI_COMMIT_SHA: head,
      CI_JOB_URL: `${projectUrl}/-/jobs/4242`,
    },
  });
  const out = join(repo, 'qgate-report');
  const commentMd = join(out, 'comment.md');
  const commentHtml = join(out, 'comment.html');
  writeFileSync(commentHtml, commentPage(readFileSync(commentMd, 'utf8'), `qgate comment: ${testCase.name}`));
  return { repo, status: run.status, stdout: run.stdout, stderr: run.stderr, indexHtml: join(out, 'index.html'), commentMd, commentHtml, resultJson: join(out, 'result.json') };
}

async function main() {
  const { chromium } = await import('playwright-core');
  const images = join(ROOT, 'docs', 'images');
  mkdirSync(images, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const testCase of CASES) {
      const run = runCase(testCase);
      if (run.status !== testCase.expectExit) throw new Error(`${testCase.name}: qgate exited ${run.status}, expected ${testCase.expectExit}\n${run.stderr}`);
      for (const [kind, file] of [['index', run.indexHtml], ['comment', run.commentHtml]]) {
        for (const width of WIDTHS) {
          const page = await browser.newPage({ viewport: { width, height: 800 } });
          await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
          const path = join(images, `${testCase.name}-${kind}-${width}.png`);
          await page.screenshot({ path, fullPage: true });
          await page.close();
          process.stdout.write(`${path}\n`);
        }
      }
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

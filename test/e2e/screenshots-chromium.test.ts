/**
 * What docs/images/ shows, checked: the three cases of scripts/screenshots.mjs (the sample, a real
 * failing MR, a real passing MR) run through the built CLI, each index.html opened in Chromium at
 * 400 px (no sideways scroll, axe reports no violation at all) and each comment.md rendered the way
 * GitLab renders it (no stray backslash in the visible text, no live markup from names).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ES module script shared with `npm run screenshots`
import { CASES, runCase } from '../../scripts/screenshots.mjs';
// @ts-expect-error -- plain ES module script shared with `npm run screenshots`
import { commentPage } from '../../scripts/gitlab-comment-page.mjs';
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from '../support/chromium.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface CaseRun {
  status: number | null;
  stderr: string;
  indexHtml: string;
  commentMd: string;
  commentHtml: string;
}
interface Case {
  name: string;
  expectExit: number;
}

const cases = CASES as Case[];

async function allViolations(page: Page): Promise<Array<{ id: string; nodes: number }>> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; nodes: unknown[] }>; passes: unknown[] }> } }).axe;
    const results = await axe.run();
    if (results.passes.length < 10) throw new Error('axe ran almost no rule');
    return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.length }));
  });
}

describe.skipIf(!HAS_CHROMIUM)(`screenshot cases in Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let parent: string;
  const runs = new Map<string, CaseRun>();

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'qgate-screens-'));
    for (const testCase of cases) runs.set(testCase.name, runCase(testCase, parent) as CaseRun);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: qgate gives the expected verdict', (name, testCase) => {
    const run = runs.get(name) as CaseRun;
    expect(run.status, run.stderr).toBe(testCase.expectExit);
  });

  it.each(cases.map((c) => c.name))('%s: index.html at 400 px has no sideways scroll and no axe violation', async (name) => {
    const run = runs.get(name) as CaseRun;
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 400, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(run.indexHtml).href, { waitUntil: 'load' });
      const { scrollWidth, clientWidth } = await page.evaluate(() => {
        const root = document.scrollingElement as Element;
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
      });
      expect(clientWidth).toBe(400);
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      expect(await allViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each(cases.map((c) => c.name))('%s: the GitLab-rendered comment shows no backslash and no markup of its own', async (name) => {
    const run = runs.get(name) as CaseRun;
    const page = await browser.newPage({ viewport: { width: 400, height: 800 } });
    try {
      await page.goto(pathToFileURL(run.commentHtml).href, { waitUntil: 'load' });
      const text = await page.locator('.md').innerText();
      expect(text).toContain('vs target branch');
      expect(text).not.toContain('\\');
      expect(await page.locator('.md script, .md img, .md iframe, .md style').count()).toBe(0);
      // Every link goes to the project on GitLab (blob links, the artifact).
      const hrefs = await page.locator('.md a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const href of hrefs) expect(href).toMatch(/^https:\/\/gitlab\.example\.com\//);
    } finally {
      await page.close();
    }
  });

  it('a comment of hostile names renders as text in the same page: no element, link or backslash from them', async () => {
    const markdown = readFileSync(join(process.cwd(), 'fixtures', 'render', 'hostile.comment.md'), 'utf8');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.setContent(commentPage(markdown) as string, { waitUntil: 'load' });
      expect(await page.locator('.md script, .md img, .md iframe, .md style, .md [onerror]').count()).toBe(0);
      const text = await page.locator('.md').innerText();
      expect(text).toContain('<script>alert(1)</script>');
      expect(text).not.toMatch(/\\[[\]|*_~`#+-]/);
      const hrefs = await page.locator('.md a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const href of hrefs) expect(href).toMatch(/^https:\/\/gitlab\.example\.com\//);
    } finally {
      await page.close();
    }
  });
});

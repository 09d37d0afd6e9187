/**
 * index.html in a real browser: Debian's Chromium through playwright-core (no browser download).
 * The pages are the golden files test/render/html-report.test.ts keeps in step with the renderer.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

if (!HAS_CHROMIUM) console.warn(`html-report-chromium: ${CHROMIUM} is missing, skipping the browser test (apt-get install chromium; .ci/run installs it)`);

describe.skipIf(!HAS_CHROMIUM)(`index.html in Chromium (${CHROMIUM})`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['failing', 'index.png'],
    ['hostile', 'index-hostile.png'],
  ])('%s report: no console error, no request but the file, no serious axe violation', async (name, screenshot) => {
    const file = join(process.cwd(), 'fixtures', 'render', `${name}.index.html`);
    const url = pathToFileURL(file).href;
    // The report's own CSP forbids every script; axe is injected by the test, so only the test bypasses it.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      const pageErrors: string[] = [];
      const requests: string[] = [];
      const dialogs: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });

      await page.goto(url, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle');

      expect(consoleErrors).toEqual([]);
      expect(pageErrors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([url]);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.locator('script').count()).toBe(0);

      await page.addScriptTag({ path: AXE });
      const { violations, passes } = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
        const results = await axe.run();
        return { violations: results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })), passes: results.passes.length };
      });
      // axe really ran its rules (an empty page or a failed injection would pass nothing).
      expect(passes).toBeGreaterThan(10);
      console.info(`axe (${name}): ${passes} rules passed, ${violations.length} violations ${JSON.stringify(violations)}`);
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious).toEqual([]);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
      expect(existsSync(join(ARTIFACTS, screenshot))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

/**
 * index.html in a real browser: Debian's Chromium through playwright-core (no browser download).
 * The pages are the golden files test/render/html-report.test.ts keeps in step with the renderer.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, expectAccessible, expectCleanLoad, HAS_CHROMIUM, launchChromium } from '../support/chromium.js';

if (!HAS_CHROMIUM) console.warn(`html-report-chromium: ${CHROMIUM} is missing, skipping the browser test (npm test installs it: scripts/install-test-tools.sh)`);

describe.skipIf(!HAS_CHROMIUM)(`index.html in Chromium (${CHROMIUM})`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
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
      await expectCleanLoad(page, url);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.locator('script').count()).toBe(0);

      await expectAccessible(page, name);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
      expect(existsSync(join(ARTIFACTS, screenshot))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

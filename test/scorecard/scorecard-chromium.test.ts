/**
 * scorecard.html in Debian's Chromium, with the MR report's checks: no console error, no request
 * but the file itself, no serious or critical axe violation; plus the script-free sorting works.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/gitlab/transport.js';
import { runScorecard } from '../../src/scorecard/run-scorecard.js';
import { startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab.js';
import { ARTIFACTS, CHROMIUM, expectAccessible, expectCleanLoad, HAS_CHROMIUM, launchChromium } from '../support/chromium.js';
import { FAILING_ID, NOW, seedGroup, TOKEN } from './group-fixture.js';

if (!HAS_CHROMIUM) console.warn(`scorecard-chromium: ${CHROMIUM} is missing, skipping the browser test (apt-get install chromium)`);

describe.skipIf(!HAS_CHROMIUM)(`scorecard.html in Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let gitlab: FakeGitLab;
  let work: string;
  let file: string;

  beforeAll(async () => {
    gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'lead' }] });
    seedGroup(gitlab);
    gitlab.faults.push({ match: (request) => request.path.startsWith(`/api/v4/projects/${FAILING_ID}/`), status: 500, body: '{"message":"500 Internal Server Error"}', times: 1_000 });
    work = mkdtempSync(join(tmpdir(), 'qgate-scorecard-html-'));
    const sink = { write: () => true };
    await runScorecard(
      { group: 'acme', out: 'out', concurrency: 4, timeoutSeconds: 120, api: 'rest', rubric: join(import.meta.dirname, 'classic-rubric.yml') },
      { cwd: work, env: { QGATE_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: gitlab.apiUrl }, stdout: sink, stderr: sink, now: () => NOW, gitlabPolicy: { ...DEFAULT_POLICY, backoffMs: 1, maxAttempts: 2 } },
    );
    file = join(work, 'out', 'scorecard.html');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gitlab?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('no console error, no request but the file, no serious axe violation, sorting without script', async () => {
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      await expectCleanLoad(page, url);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);

      // By level is the default view; the Project header link switches to the path order.
      expect(await page.locator('#by-level').isVisible()).toBe(true);
      expect(await page.locator('#by-path').isVisible()).toBe(false);
      expect(await page.locator('#by-level tbody tr th').first().textContent()).toContain('acme/data/p-40');
      await page.locator('#by-level thead a[href="#by-path"]').click();
      expect(await page.locator('#by-path').isVisible()).toBe(true);
      expect(await page.locator('#by-level').isVisible()).toBe(false);
      expect(await page.locator('#by-path tbody tr th').first().textContent()).toContain('acme/data/p-40');
      expect(await page.locator('#by-path tbody tr').count()).toBe(58);
      expect(await page.locator('#by-path svg[role="img"]').count()).toBe(58 - 12); // every scored project but the 12 without results

      await expectAccessible(page, 'scorecard');

      // Readable at 1,024 px: the page itself never scrolls sideways (the wide table scrolls in its
      // own box), and the project, its level and what blocks the next one are on screen.
      await page.setViewportSize({ width: 1024, height: 800 });
      await page.goto(`${url}#by-level`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
      for (const column of [1, 2, 3]) {
        const box = await page.locator(`#by-level thead th:nth-child(${column})`).boundingBox();
        expect(box, `column ${column}`).not.toBeNull();
        expect((box?.x ?? 9999) + (box?.width ?? 0)).toBeLessThanOrEqual(1024);
      }
      expect(await page.locator('#by-level tbody tr td.next').first().textContent()).toMatch(/^(top level reached|\w+: )/);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.goto(`${url}#by-level`);
      await page.screenshot({ path: join(ARTIFACTS, 'scorecard.png'), fullPage: true });
      writeFileSync(join(ARTIFACTS, 'scorecard.html'), await page.content());
    } finally {
      await context.close();
    }
  });
});

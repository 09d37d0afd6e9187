/**
 * scorecard.html in Debian's Chromium, with the MR report's checks: no console error, no request
 * but the file itself, no serious or critical axe violation; plus the script-free sorting works.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/gitlab/transport.js';
import { runScorecard } from '../../src/scorecard/run-scorecard.js';
import { startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab.js';
import { FAILING_ID, NOW, seedGroup, TOKEN } from './group-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: unknown[];
}

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
      { group: 'acme', out: 'out', concurrency: 4, timeoutSeconds: 120 },
      { cwd: work, env: { QGATE_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: gitlab.apiUrl }, stdout: sink, stderr: sink, now: () => NOW, gitlabPolicy: { ...DEFAULT_POLICY, backoffMs: 1, maxAttempts: 2 } },
    );
    file = join(work, 'out', 'scorecard.html');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
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

      await page.addScriptTag({ path: AXE });
      const { violations, passes } = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
        const results = await axe.run();
        return { violations: results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })), passes: results.passes.length };
      });
      expect(passes).toBeGreaterThan(10);
      console.info(`axe (scorecard): ${passes} rules passed, ${violations.length} violations ${JSON.stringify(violations)}`);
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.goto(`${url}#by-level`);
      await page.screenshot({ path: join(ARTIFACTS, 'scorecard.png'), fullPage: true });
      writeFileSync(join(ARTIFACTS, 'scorecard.html'), await page.content());
    } finally {
      await context.close();
    }
  });
});

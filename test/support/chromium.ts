/**
 * Opening a self-contained report in Debian's Chromium through playwright-core (browsers cannot
 * be downloaded here), with the checks every qgate page must pass: no console or page error, no
 * dialog, no request but the file itself, and no serious or critical axe-core violation.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Screenshots and page copies kept for a human to look at (gitignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: unknown[];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Without the background-networking flags Chromium tries Google's hosts at every start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Loads `url` in `page` and asserts it loaded cleanly and asked for nothing but itself. */
export async function expectCleanLoad(page: Page, url: string): Promise<void> {
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
}

/** Runs axe-core in the page (the test bypasses the page's CSP to inject it) and asserts no serious or critical violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const { violations, passes } = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
    const results = await axe.run();
    return { violations: results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })), passes: results.passes.length };
  });
  // axe really ran its rules (an empty page or a failed injection would pass nothing).
  expect(passes).toBeGreaterThan(10);
  console.info(`axe (${name}): ${passes} rules passed, ${violations.length} violations ${JSON.stringify(violations)}`);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverReports, type DiscoveredKind } from '../../src/inputs/discover-reports.js';

const ALL = new Set<DiscoveredKind>(['coverage', 'e2e', 'mutation', 'performance']);
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
function repo(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'qgate-discover-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('discoverReports', () => {
  it('picks one report per producer run, each evidence kind once, and says why', async () => {
    const root = repo({
      'coverage/cobertura-coverage.xml': '<coverage/>',
      'coverage/coverage-final.json': '{}',
      'coverage.xml': '<coverage/>',
      'reports/cucumber-report.json': '[]',
      'reports/cucumber-report.ndjson': '',
      'cucumber-report.xml': '<testsuite/>',
      'reports/mutation/mutation.json': '{}',
      'summary.json': '{"metrics":{}}',
    });
    const found = await discoverReports({ repoRoot: root, headCommitTimeMs: null, kinds: ALL });
    expect(found.reports.map((report) => [report.kind, report.path])).toEqual([
      ['coverage', 'coverage/cobertura-coverage.xml'],
      ['coverage', 'coverage.xml'],
      ['e2e', 'reports/cucumber-report.ndjson'],
      ['mutation', 'reports/mutation/mutation.json'],
      ['performance', 'summary.json'],
    ]);
    expect(found.skipped).toEqual([
      'coverage/coverage-final.json: the same run as coverage/cobertura-coverage.xml in another format, not counted twice',
      'reports/cucumber-report.json: the same run as reports/cucumber-report.ndjson in another format, not counted twice',
      'cucumber-report.xml: the same run as reports/cucumber-report.ndjson in another format, not counted twice',
    ]);
    expect(found.warnings).toEqual([]);
  });

  it('looks only for the kinds asked for', async () => {
    const root = repo({ 'coverage/lcov.info': 'TN:\n', 'reports/mutation/mutation.json': '{}' });
    const found = await discoverReports({ repoRoot: root, headCommitTimeMs: null, kinds: new Set(['mutation']) });
    expect(found.reports.map((report) => report.path)).toEqual(['reports/mutation/mutation.json']);
  });

  it('takes summary.json for k6 only when it looks like k6 output', async () => {
    const root = repo({ 'summary.json': '{"total": 3}' });
    const found = await discoverReports({ repoRoot: root, headCommitTimeMs: null, kinds: ALL });
    expect(found.reports).toEqual([]);
    expect(found.skipped[0]).toMatch(/^summary\.json: not a k6 .* report \(no "metrics" near its start\)$/);
  });

  it('skips a report older than the commit, with a warning, and takes a fresh one of the same group', async () => {
    const root = repo({ 'coverage/lcov.info': 'TN:\n', 'coverage/cobertura-coverage.xml': '<coverage/>' });
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(root, 'coverage/lcov.info'), old, old);
    const found = await discoverReports({ repoRoot: root, headCommitTimeMs: Date.parse('2024-01-01T00:00:00Z'), kinds: ALL });
    expect(found.reports.map((report) => report.path)).toEqual(['coverage/cobertura-coverage.xml']);
    expect(found.warnings).toEqual([expect.stringContaining('coverage/lcov.info was not read: it is older than the commit being checked (2020-01-01T00:00:00.000Z < 2024-01-01T00:00:00.000Z)')]);
  });

  it('never follows a symlink at a default path (it could point outside the checkout)', async () => {
    const root = repo({ 'elsewhere/lcov.info': 'TN:\n' });
    mkdirSync(join(root, 'coverage'));
    symlinkSync(join(root, 'elsewhere/lcov.info'), join(root, 'coverage/lcov.info'));
    const found = await discoverReports({ repoRoot: root, headCommitTimeMs: null, kinds: ALL });
    expect(found.reports).toEqual([]);
  });
});

/**
 * junit.xml on the real outputs of cucumber-js runs with `--retry` (fixtures/e2e/generated/,
 * PROVENANCE.md there): a scenario that failed on its first attempt and passed on the retry is
 * one test case with its final status and a FLAKY marker (GitLab keeps only the first of
 * duplicate names, so two cases would show the failed attempt); a pending scenario is skipped;
 * the file validates against the JUnit XSD the suite already uses (xmllint).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readE2eReport } from '../../../src/inputs/e2e/registry.js';
import { summarizeE2e } from '../../../src/measure/e2e-summary.js';
import { renderJunitXml } from '../../../src/render/artifacts/junit-xml.js';
import { baseResult, descendants, gate, parseXmlTree, type XmlElement } from './result-fixture.js';

const ROOT = process.cwd();
const GENERATED = join(ROOT, 'fixtures', 'e2e', 'generated');
const scratch = mkdtempSync(join(tmpdir(), 'qgate-junit-retries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function xmllint(xml: string): string {
  const file = join(scratch, 'junit.xml');
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', join(ROOT, 'fixtures', 'schemas', 'junit-10.xsd'), file], { encoding: 'utf8' });
  if (run.error) throw new Error('xmllint is missing: install the Debian package libxml2-utils (apt-get install libxml2-utils).');
  return run.status === 0 ? '' : run.stderr;
}

async function junitFor(files: string[]): Promise<{ xml: string; tree: XmlElement }> {
  const reports = await Promise.all(files.map((file) => readE2eReport(file, join(GENERATED, file))));
  const e2e = summarizeE2e(reports, { tags: null });
  const result = baseResult({ gates: [gate({ id: 'e2e', status: 'fail', unit: 'count', actual: e2e.scenarios.failed, threshold: 0 })], e2e });
  const xml = renderJunitXml(result, { includeScenarios: true });
  return { xml, tree: await parseXmlTree(xml, ['failure', 'system-out']) };
}

describe('junit.xml from real cucumber-js retries', () => {
  it('folds the retried scenario of the reservations run into one passing case marked FLAKY; pending is skipped', async () => {
    // The NDJSON, JSON and JUnit of one run: de-duplicated to the NDJSON, the only one that shows retries.
    const { xml, tree } = await junitFor(['cucumber-js12__reservations.ndjson', 'cucumber-js12__reservations.json', 'cucumber-js12__reservations.junit.xml']);
    expect(xmllint(xml)).toBe('');
    const suite = descendants(tree, 'testsuite').find((element) => element.attributes.name === 'e2e') as XmlElement;
    const cases = descendants(suite, 'testcase');
    const names = cases.map((c) => c.attributes.name ?? '');
    expect(new Set(names).size).toBe(names.length);
    const late = cases.filter((c) => c.attributes.name?.startsWith('The clock is late on the first attempt'));
    expect(late).toHaveLength(1);
    expect(descendants(late[0] as XmlElement, 'failure')).toEqual([]);
    expect(descendants(late[0] as XmlElement, 'system-out')[0]?.text).toMatch(/^FLAKY: passed on attempt 2 after failing earlier/);
    expect(late[0]?.attributes.file).toBe('features/reservations.feature');
    const pending = cases.find((c) => c.attributes.name?.startsWith('Waiting for the pricing service')) as XmlElement;
    expect(descendants(pending, 'skipped')[0]?.attributes.message).toMatch(/^pending/);
    expect(descendants(pending, 'failure')).toEqual([]);
    expect(suite.attributes.skipped).toBe('1');
  });

  it('keeps a scenario that failed on every attempt as one failure (retry-ambiguous-undefined run)', async () => {
    const { xml, tree } = await junitFor(['cucumber-js12__retry-ambiguous-undefined.ndjson']);
    expect(xmllint(xml)).toBe('');
    const cases = descendants(tree, 'testcase');
    const tooMuch = cases.filter((c) => c.attributes.name?.startsWith('Reserve too much'));
    expect(tooMuch).toHaveLength(1);
    expect(descendants(tooMuch[0] as XmlElement, 'failure')).toHaveLength(1);
    const slow = cases.filter((c) => c.attributes.name?.startsWith('Sometimes slow'));
    expect(slow).toHaveLength(1);
    expect(descendants(slow[0] as XmlElement, 'system-out')[0]?.text).toContain('FLAKY');
  });
});

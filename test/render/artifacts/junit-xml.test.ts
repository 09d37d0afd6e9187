import { describe, expect, it } from 'vitest';
import { renderJunitXml } from '../../../src/render/artifacts/junit-xml.js';
import { stripInvalidXmlChars } from '../../../src/render/artifacts/xml-escape.js';
import { baseResult, descendants, gate, HOSTILE, parseXmlTree, scenario, withE2e, type XmlElement } from './result-fixture.js';

const TEXT = ['failure', 'system-out'];

function counts(element: XmlElement): Record<string, string | undefined> {
  const { tests, failures, errors, skipped } = element.attributes;
  return { tests, failures, errors, skipped };
}

describe('renderJunitXml', () => {
  const result = baseResult({
    gates: [
      gate({ id: 'new_code_coverage', status: 'fail', actual: 62.5, threshold: 80, reason: '10 of 16 new lines covered (62.5%), below 80%' }),
      gate({ id: 'overall_coverage', status: 'pass', actual: 85, threshold: 70 }),
      gate({ id: 'e2e', status: 'skip', reason: 'no Cucumber report given' }),
      gate({ id: 'mutation', status: 'warn', blocking: false, reason: 'score 55% below 60% (non-blocking)' }),
    ],
  });

  it('writes one test case per gate that ran, with consistent counters; a gate with no report given is absent', async () => {
    const tree = await parseXmlTree(renderJunitXml(result, { includeScenarios: true }), TEXT);
    expect(tree.name).toBe('testsuites');
    // The root carries no `skipped`: the Jenkins JUnit schema allows it on a suite only.
    expect(counts(tree)).toEqual({ tests: '3', failures: '1', errors: '0', skipped: undefined });
    const [suite, ...others] = descendants(tree, 'testsuite');
    expect(others).toEqual([]); // no e2e section in the model → no e2e suite
    expect(suite?.attributes.name).toBe('qgate');
    expect(counts(suite as XmlElement)).toEqual({ tests: '3', failures: '1', errors: '0', skipped: '0' });
    const cases = descendants(tree, 'testcase');
    expect(cases.map((c) => [c.attributes.classname, c.attributes.name])).toEqual([
      ['qgate', 'new_code_coverage'],
      ['qgate', 'overall_coverage'],
      ['qgate', 'mutation'],
    ]);
    const failure = descendants(cases[0] as XmlElement, 'failure')[0];
    expect(failure?.attributes).toEqual({ message: '10 of 16 new lines covered (62.5%), below 80%', type: 'new_code_coverage' });
    expect(failure?.text).toContain('formula: covered / coverable');
    expect(failure?.text).toContain('measured: 62.5%; threshold: 80%');
    expect(cases[1]?.children).toEqual([]);
    const warning = descendants(cases[2] as XmlElement, 'system-out')[0];
    expect(warning?.text).toMatch(/^WARNING: score 55% below 60%/);
    expect(descendants(cases[2] as XmlElement, 'failure')).toEqual([]);
  });

  it('adds the listed failed and flaky scenarios as an e2e suite only when asked', async () => {
    const withScenarios = baseResult({
      gates: [gate({ id: 'e2e', status: 'fail', unit: 'count', actual: 2, threshold: 0 })],
      e2e: withE2e(
        [
          scenario({ name: 'Pay by card', status: 'failed', error: 'AssertionError: expected 200\n    at step.js:3', failedStep: { keyword: 'Then', text: 'I see a receipt', line: 9 } }),
          scenario({ name: 'Pay later', status: 'undefined', line: 12, durationMs: null }),
        ],
        [scenario({ name: 'Refund', status: 'passed', flaky: true, attempts: 2, line: 20 })],
        { failedOmitted: 3 },
      ),
    });
    const without = await parseXmlTree(renderJunitXml(withScenarios, { includeScenarios: false }), TEXT);
    expect(descendants(without, 'testsuite')).toHaveLength(1);

    const tree = await parseXmlTree(renderJunitXml(withScenarios, { includeScenarios: true }), TEXT);
    expect(counts(tree)).toEqual({ tests: '4', failures: '3', errors: '0', skipped: undefined });
    const e2eSuite = descendants(tree, 'testsuite')[1] as XmlElement;
    expect(e2eSuite.attributes.name).toBe('e2e');
    expect(counts(e2eSuite)).toEqual({ tests: '3', failures: '2', errors: '0', skipped: '0' });
    expect(e2eSuite.attributes.time).toBe('3');
    const [card, later, refund] = descendants(e2eSuite, 'testcase');
    expect(card?.attributes).toMatchObject({ classname: 'Checkout', name: 'Pay by card (features/a.feature:3)', time: '1.5' });
    expect(descendants(card as XmlElement, 'failure')[0]?.attributes).toEqual({ message: 'AssertionError: expected 200', type: 'failed' });
    expect(descendants(card as XmlElement, 'failure')[0]?.text).toContain('Then I see a receipt (line 9)');
    expect(descendants(later as XmlElement, 'failure')[0]?.attributes).toEqual({ message: 'scenario undefined', type: 'undefined' });
    expect(descendants(refund as XmlElement, 'system-out')[0]?.text).toContain('FLAKY');
    expect(e2eSuite.children.at(-1)?.text).toContain('3 more scenarios');
  });

  it('stays well-formed and keeps hostile text inert', async () => {
    const hostile = baseResult({
      gates: [gate({ id: `gate ${HOSTILE}`, status: 'fail', reason: HOSTILE, formula: HOSTILE })],
      e2e: withE2e([scenario({ name: HOSTILE, feature: HOSTILE, uri: HOSTILE, status: 'failed', error: HOSTILE })]),
    });
    const xml = renderJunitXml(hostile, { includeScenarios: true });
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain(']]>');
    // eslint-disable-next-line no-control-regex -- checking that no control character is left
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    const tree = await parseXmlTree(xml, TEXT);
    const [gateCase, scenarioCase] = descendants(tree, 'testcase');
    const clean = stripInvalidXmlChars(HOSTILE);
    // Attribute values round-trip exactly, CR, LF and tabs included, minus the characters XML cannot carry.
    expect(gateCase?.attributes.name).toBe(`gate ${clean}`);
    expect(descendants(gateCase as XmlElement, 'failure')[0]?.attributes.message).toBe(clean);
    expect(descendants(gateCase as XmlElement, 'failure')[0]?.text).toContain(clean);
    expect(scenarioCase?.attributes.classname).toBe(clean);
    expect(descendants(scenarioCase as XmlElement, 'failure')[0]?.text).toContain(clean);
  });

  it('drops lone surrogates but keeps real pairs', async () => {
    const xml = renderJunitXml(baseResult({ gates: [gate({ id: 'emoji 😀 \uD83D', status: 'pass' })] }), { includeScenarios: false });
    const tree = await parseXmlTree(xml, TEXT);
    expect(descendants(tree, 'testcase')[0]?.attributes.name).toBe('emoji 😀 ');
  });
});

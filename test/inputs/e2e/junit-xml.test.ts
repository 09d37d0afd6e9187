import { describe, expect, it } from 'vitest';
import type { QgateError } from '../../../src/errors.js';
import { junitXmlParser } from '../../../src/inputs/e2e/junit-xml.js';
import type { E2eReport } from '../../../src/model/e2e.js';
import { chunksOf, errorOf } from '../../support/streams.js';

const FILE = 'reports/junit.xml';

function parse(text: string, size?: number): Promise<E2eReport> {
  return junitXmlParser.parse(chunksOf(text, size), FILE);
}

async function parseError(text: string): Promise<QgateError> {
  return errorOf(parse(text));
}

/** A testcase of the official formatter: its children and the step list of <system-out>. */
function testcase(name: string, children: string, steps: [string, string][] = []): string {
  const list = steps.map(([text, status]) => `${text}${'.'.repeat(Math.max(2, 76 - text.length))}${status}`).join('\n');
  return `<testcase classname="Shop" name="${name}" time="0.5">${children}${list ? `<system-out><![CDATA[${list}]]></system-out>` : ''}</testcase>`;
}

function suite(cases: string, tests: number): string {
  return `<?xml version="1.0"?>\n<testsuite name="Cucumber" tests="${tests}" failures="0" skipped="0" errors="0">\n${cases}\n</testsuite>\n`;
}

describe('junit: statuses', () => {
  it('reads failure, error and skipped children, and no child as passed', async () => {
    const report = await parse(
      suite(
        [
          testcase('passes', ''),
          testcase('fails', '<failure type="AssertionError" message="expected 1 to be 2"><![CDATA[AssertionError: expected 1 to be 2\n    at x.js:1]]></failure>'),
          testcase('errors', '<error message="boom"/>'),
          testcase('skips', '<skipped/>'),
        ].join('\n'),
        4,
      ),
    );
    expect(report.scenarios.map(({ name, status, error }) => ({ name, status, error }))).toEqual([
      { name: 'passes', status: 'passed', error: null },
      { name: 'fails', status: 'failed', error: 'expected 1 to be 2' },
      { name: 'errors', status: 'failed', error: 'boom' },
      { name: 'skips', status: 'skipped', error: null },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('tells pending, undefined and ambiguous from failed by the official formatter\'s step list', async () => {
    const given: [string, string] = ['Given a shop', 'passed'];
    const report = await parse(
      suite(
        [
          testcase('pending', '<failure/>', [given, ['When I wait', 'pending'], ['Then it is done', 'skipped']]),
          testcase('undefined', '<failure/>', [given, ['When I fly', 'undefined']]),
          testcase('ambiguous', '<failure><![CDATA[Multiple step definitions match:\n  a - steps.js:1]]></failure>', [given, ['When I buy 1 twice', 'ambiguous']]),
          // A failure with an exception is a failure, whatever the steps say (a failing After hook).
          testcase('hook failed', '<failure type="Error" message="teardown"/>', [given, ['When I fly', 'undefined']]),
          // Not a step list: a failure stays a failure.
          testcase('logs', '<failure/><system-out>started server on port 8080\nstep pending</system-out>'),
        ].join('\n'),
        5,
      ),
    );
    expect(report.scenarios.map(({ name, status, failedStep }) => [name, status, failedStep])).toEqual([
      ['pending', 'pending', { keyword: 'When', text: 'I wait', line: null }],
      ['undefined', 'undefined', { keyword: 'When', text: 'I fly', line: null }],
      ['ambiguous', 'ambiguous', { keyword: 'When', text: 'I buy 1 twice', line: null }],
      ['hook failed', 'failed', null],
      ['logs', 'failed', null],
    ]);
    expect(report.scenarios[2]?.error).toBe('Multiple step definitions match:\n  a - steps.js:1');
  });

  it('takes godog\'s status attribute as it is, ignoring its per-step skipped errors', async () => {
    const report = await parse(
      '<testsuites name="junit" tests="2"><testsuite name="shop" tests="2">' +
        '<testcase name="a" status="pending" time="0"><error message="Step wait: TODO" type="pending"/><error message="Step done" type="skipped"/></testcase>' +
        '<testcase name="b" status="passed" time="0"/>' +
        '</testsuite></testsuites>',
    );
    expect(report.scenarios.map(({ key, feature, status, error }) => ({ key, feature, status, error }))).toEqual([
      { key: 'shop::a', feature: 'shop', status: 'pending', error: 'Step wait: TODO' },
      { key: 'shop::b', feature: 'shop', status: 'passed', error: null },
    ]);
  });

  it('reads Surefire reruns: flaky after a passing rerun, attempts counted either way', async () => {
    const report = await parse(
      suite(
        [
          '<testcase classname="Shop" name="flaky" time="1"><flakyFailure message="first"><stackTrace>x</stackTrace><system-out>noise</system-out></flakyFailure></testcase>',
          '<testcase classname="Shop" name="broken" time="1"><failure message="third"/><rerunFailure message="first"/><rerunFailure message="second"/></testcase>',
        ].join(''),
        2,
      ),
    );
    expect(report.scenarios.map(({ name, status, attempts, flaky }) => ({ name, status, attempts, flaky }))).toEqual([
      { name: 'flaky', status: 'passed', attempts: 2, flaky: true },
      { name: 'broken', status: 'failed', attempts: 3, flaky: false },
    ]);
  });
});

describe('junit: identity and data', () => {
  it('keys by feature and name, numbering repeated names (rules drop out of the official formatter\'s names)', async () => {
    const report = await parse(suite([testcase('same', ''), testcase('same', ''), testcase('other', '')].join(''), 3));
    expect(report.scenarios.map((scenario) => scenario.key)).toEqual(['Shop::same', 'Shop::same#2', 'Shop::other']);
    expect(report.scenarios.every((scenario) => scenario.uri === null && scenario.line === null && scenario.tags.length === 0)).toBe(true);
  });

  it('decodes markup in names and keeps it verbatim', async () => {
    const report = await parse(
      suite('<testcase classname="&lt;b&gt;Shop&lt;/b&gt;" name="&lt;script&gt;alert(1)&lt;/script&gt; @all [x](javascript:alert(1))" time="0"/>', 1),
    );
    expect(report.scenarios[0]).toMatchObject({ feature: '<b>Shop</b>', name: '<script>alert(1)</script> @all [x](javascript:alert(1))' });
  });

  it('reads time in seconds, with thousands separators, as milliseconds', async () => {
    const report = await parse(suite('<testcase classname="a" name="b" time="1,234.5"/><testcase classname="a" name="c" time="n/a"/>', 2));
    expect(report.scenarios.map((scenario) => scenario.durationMs)).toEqual([1_234_500, null]);
  });

  it('warns when the tests attribute disagrees with the testcases read', async () => {
    const report = await parse(suite(testcase('a', ''), 3));
    expect(report.warnings).toEqual(["the report's tests attribute says 3 tests, but it holds 1 <testcase>."]);
  });

  it('keeps only the start of a huge captured output, and reads it in any chunking', async () => {
    const noise = 'log line\n'.repeat(100_000);
    const text = suite(`<testcase classname="a" name="b" time="1"><failure message="m"/><system-out>${noise}</system-out></testcase>`, 1);
    const whole = await parse(text);
    expect(whole.scenarios[0]).toMatchObject({ status: 'failed', error: 'm' });
    expect(await parse(text, 4096)).toEqual(whole);
  });

  it('refuses what is not a JUnit report, and a testcase inside a testcase', async () => {
    expect((await parseError('<coverage/>')).message).toBe('is not a JUnit XML report: its root element is <coverage>, not <testsuites> or <testsuite>.');
    const nested = await parseError(suite('<testcase name="a"><testcase name="b"/></testcase>', 1));
    expect(nested).toMatchObject({ code: 'INPUT_MALFORMED', file: FILE, format: 'junit', position: { line: 3 } });
    expect(nested.message).toBe('has a <testcase> inside another <testcase>.');
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { QgateError } from '../../../src/errors.js';
import { cucumberJsonParser } from '../../../src/inputs/e2e/cucumber-json.js';
import type { E2eReport, ScenarioResult } from '../../../src/model/e2e.js';
import { chunksOf, errorOf } from '../../support/streams.js';

const FILE = 'reports/cucumber.json';

function parse(document: unknown, size?: number): Promise<E2eReport> {
  return cucumberJsonParser.parse(chunksOf(typeof document === 'string' ? document : JSON.stringify(document), size), FILE);
}

async function parseError(document: unknown): Promise<QgateError> {
  return errorOf(parse(document));
}

type Json = Record<string, unknown>;

function step(keyword: string, name: string, status: string | null, extra: Json = {}): Json {
  return { keyword: `${keyword} `, name, line: 5, ...(status === null ? {} : { result: { status, duration: 1_000_000 } }), ...extra };
}

function feature(elements: Json[], extra: Json = {}): Json {
  return { uri: 'features/a.feature', name: 'A', keyword: 'Feature', line: 1, elements, ...extra };
}

function scenario(name: string, line: number, steps: Json[], extra: Json = {}): Json {
  return { type: 'scenario', keyword: 'Scenario', name, line, steps, ...extra };
}

async function only(document: unknown): Promise<ScenarioResult> {
  const report = await parse(document);
  expect(report.scenarios).toHaveLength(1);
  return report.scenarios[0]!;
}

describe('cucumber-json: statuses the way Cucumber counts them', () => {
  it('takes the most severe status of the steps, whatever their order', async () => {
    const statuses = async (...list: string[]): Promise<string> =>
      (await only([feature([scenario('s', 3, list.map((status, index) => step('Given', `step ${index}`, status)))])])).status;
    expect(await statuses('passed', 'passed')).toBe('passed');
    expect(await statuses('passed', 'skipped')).toBe('skipped');
    expect(await statuses('pending', 'skipped')).toBe('pending');
    expect(await statuses('pending', 'undefined', 'ambiguous')).toBe('ambiguous');
    expect(await statuses('undefined', 'failed')).toBe('failed');
    expect(await statuses('PASSED', ' Failed ')).toBe('failed');
  });

  it('fails a scenario on a failed hook in each of the three encodings', async () => {
    const failedHook = { result: { status: 'failed', error_message: 'hook went wrong' }, match: { location: 'hooks.rb:3' } };
    // cucumber-jvm / cucumber-ruby: element-level arrays.
    const elementLevel = await only([feature([scenario('s', 3, [step('Given', 'a', 'passed')], { after: [failedHook] })])]);
    expect(elementLevel).toMatchObject({ status: 'failed', failedStep: { keyword: 'After', text: 'hooks.rb:3', line: null }, error: 'hook went wrong' });
    // cucumber-jvm: BeforeStep / AfterStep inside the step.
    const stepLevel = await only([feature([scenario('s', 3, [step('Given', 'a', 'passed', { after: [failedHook] })])])]);
    expect(stepLevel.failedStep).toEqual({ keyword: 'AfterStep', text: 'hooks.rb:3', line: null });
    // cucumber-js: hidden steps (1.x writes "Before " with a trailing space).
    const hidden = await only([
      feature([scenario('s', 3, [{ keyword: 'Before ', hidden: true, result: { status: 'failed' } }, step('Given', 'a', 'skipped')])]),
    ]);
    expect(hidden).toMatchObject({ status: 'failed', failedStep: { keyword: 'Before', text: '', line: null } });
  });

  it('counts the Background element with the scenario after it, and each outline row on its own', async () => {
    const background = { type: 'background', keyword: 'Background', name: '', line: 2, steps: [step('Given', 'a shop', 'failed')] };
    const report = await parse([
      feature([
        background,
        scenario('first', 4, [step('When', 'x', 'skipped')]),
        { ...background, steps: [step('Given', 'a shop', 'passed')] },
        scenario('row', 10, [step('When', 'x', 'passed')], { keyword: 'Scenario Outline', id: 'a;row' }),
        { ...background, steps: [step('Given', 'a shop', 'passed')] },
        scenario('row', 11, [step('When', 'x', 'passed')], { keyword: 'Scenario Outline', id: 'a;row' }),
        { ...background },
      ]),
    ]);
    expect(report.scenarios.map((entry) => [entry.key, entry.status])).toEqual([
      ['features/a.feature:4', 'failed'],
      ['features/a.feature:10', 'passed'],
      ['features/a.feature:11', 'passed'],
    ]);
    expect(report.scenarios[0]?.failedStep).toEqual({ keyword: 'Given', text: 'a shop', line: 5 });
    expect(report.warnings).toEqual(['1 Background element not followed by a scenario ignored.']);
  });

  it('counts a step without a result as skipped, an unknown status as failed, and a scenario without steps as skipped', async () => {
    const report = await parse([
      feature([
        scenario('no result', 3, [step('Given', 'a', 'passed'), step('When', 'b', null)]),
        scenario('odd status', 6, [step('Given', 'a', 'exploded')]),
        scenario('empty', 9, []),
        { type: 'scenario', keyword: 'Scenario', name: 'no steps key', line: 12 },
      ]),
    ]);
    expect(report.scenarios.map((entry) => entry.status)).toEqual(['skipped', 'failed', 'skipped', 'skipped']);
    expect(report.warnings).toEqual([
      '1 step or hook without a result counted as skipped.',
      'unknown step status "exploded" counted as failed.',
      '2 scenarios without any step (Cucumber\'s "unknown") counted as skipped.',
    ]);
  });
});

describe('cucumber-json: identity, tags, durations', () => {
  it('keys scenarios by uri and line, normalising Windows and file: uris', async () => {
    const report = await parse([
      feature([scenario('a', 3, [])], { uri: 'features\\sub\\a.feature' }),
      feature([scenario('b', 4, [])], { uri: 'file:src/test/resources/b.feature' }),
      feature([scenario('c', 5, [])], { uri: 'classpath:c.feature' }),
    ]);
    expect(report.scenarios.map((entry) => entry.key)).toEqual(['features/sub/a.feature:3', 'src/test/resources/b.feature:4', 'classpath:c.feature:5']);
  });

  it('falls back to the name, numbered, when the producer writes no line', async () => {
    const report = await parse([feature([scenario('same', 0, [], { line: '' }), scenario('same', 0, [], { line: '' }), scenario('other', 0, [], { line: '' })])]);
    expect(report.scenarios.map((entry) => entry.key)).toEqual(['features/a.feature::same', 'features/a.feature::same#2', 'features/a.feature::other']);
    expect(report.scenarios.every((entry) => entry.line === null)).toBe(true);
  });

  it('inherits feature tags, drops duplicates and gives behave\'s bare tags their @', async () => {
    const tagged = await only([
      feature([scenario('s', 3, [], { tags: [{ name: '@smoke', line: 2 }, { name: '@api' }, 'wip'] })], { tags: [{ name: '@api', line: 1 }] }),
    ]);
    expect(tagged.tags).toEqual(['@api', '@smoke', '@wip']);
  });

  it('reads durations as nanoseconds, or as seconds when the file has fractional ones (behave)', async () => {
    const nanos = await only([feature([scenario('s', 3, [step('Given', 'a', 'passed'), step('When', 'b', 'passed')])])]);
    expect(nanos.durationMs).toBe(2);
    const seconds = await only([
      feature([scenario('s', 3, [{ keyword: 'Given', name: 'a', result: { status: 'passed', duration: 0.25 } }, { keyword: 'When', name: 'b', result: { status: 'passed', duration: 1 } }])]),
    ]);
    expect(seconds.durationMs).toBe(1250);
    const none = await only([feature([scenario('s', 3, [{ keyword: 'Given', name: 'a', result: { status: 'passed' } }])])]);
    expect(none.durationMs).toBeNull();
  });

  it('keeps the start_timestamp of cucumber-jvm for ordering reruns', async () => {
    const stamped = await only([feature([scenario('s', 3, [], { start_timestamp: '2024-05-01T10:00:00.000Z' })])]);
    expect(stamped.startedAt).toBe('2024-05-01T10:00:00.000Z');
    const bogus = await only([feature([scenario('s', 3, [], { start_timestamp: 'yesterday' })])]);
    expect(bogus.startedAt).toBeNull();
  });

  it('keeps markup in names and errors verbatim: escaping is the renderers\' job', async () => {
    const name = '<script>alert(1)</script> @all [click](javascript:alert(1)) | `code`';
    const entry = await only([
      feature([scenario(name, 3, [{ keyword: 'Then ', name: '<b>bold</b>', line: 4, result: { status: 'failed', error_message: '<img src=x onerror=alert(1)>' } }])], {
        name: '# Heading',
      }),
    ]);
    expect(entry).toMatchObject({ name, feature: '# Heading', failedStep: { text: '<b>bold</b>' }, error: '<img src=x onerror=alert(1)>' });
  });
});

describe('cucumber-json: errors', () => {
  it('keeps the first 20 lines and 2000 characters of an error, and joins behave\'s line arrays', async () => {
    const long = Array.from({ length: 50 }, (_, index) => `line ${index + 1}`).join('\n');
    const first = await only([feature([scenario('s', 3, [{ keyword: 'Then ', name: 'x', result: { status: 'failed', error_message: long } }])])]);
    expect(first.error?.split('\n')).toHaveLength(21);
    expect(first.error?.endsWith('line 20\n…')).toBe(true);
    const wide = await only([feature([scenario('s', 3, [{ keyword: 'Then ', name: 'x', result: { status: 'failed', error_message: 'x'.repeat(5000) } }])])]);
    expect(wide.error?.length).toBeLessThanOrEqual(2002);
    const behave = await only([feature([scenario('s', 3, [{ keyword: 'Then', name: 'x', result: { status: 'failed', error_message: ['Traceback', '  boom'] } }])])]);
    expect(behave.error).toBe('Traceback\n  boom');
  });

  it('refuses what is not an array of features, saying what it is', async () => {
    expect((await parseError({ 'src/a.js': { statementMap: {}, s: {} } })).message).toContain('holds an istanbul coverage map');
    expect((await parseError({ metrics: {} })).message).toContain('holds a k6 summary');
    expect((await parseError({ schemaVersion: '1', files: {} })).message).toContain('holds a mutation testing report');
    expect((await parseError('"text"')).message).toBe('holds "text", not a Cucumber JSON report (an array of features).');
    expect((await parseError([{ foo: 1 }])).message).toBe('has feature 1 of 1 without "uri", "name" or "elements": it is not a Cucumber feature.');
    expect((await parseError([{ uri: 'a', elements: {} }])).message).toContain('with "elements" an object, not an array of scenarios');
    expect((await parseError([{ uri: 'a', elements: [7] }])).message).toContain('has element 1 of feature 1 of 1 that is 7');
  });

  it('reports a syntax error with its line and column', async () => {
    const error = await parseError('[\n  {"uri": "a",\n   "elements": [}\n]');
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.file).toBe(FILE);
    expect(error.format).toBe('cucumber-json');
    expect(error.position).toEqual({ line: 3, column: 17 });
  });
});

describe('cucumber-json: reading', () => {
  const SAMPLE = fileURLToPath(new URL('../../../fixtures/e2e/cucumber-json/cucumber-jvm__damianszczepanik_cucumber-reporting__sample.json', import.meta.url));

  it('gives the same result whatever the chunk boundaries', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    expect(await parse(text, 7)).toEqual(await parse(text));
  });

  it('reads a report with a 2 MB screenshot in a step-level hook (the cucumber-jvm 7 TestNG shape)', async () => {
    const screenshot = 'iVBORw0KGgo'.repeat(200_000);
    const entry = await only([
      feature([
        scenario('User will Open Chrome Browser', 3, [
          step('Given', 'user opens chrome', 'passed', { after: [{ result: { status: 'passed' }, embeddings: [{ mime_type: 'image/png', data: screenshot }] }] }),
        ]),
      ]),
    ]);
    expect(entry.status).toBe('passed');
  });
});

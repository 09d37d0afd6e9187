import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { QgateError } from '../../../src/errors.js';
import { cucumberMessagesParser } from '../../../src/inputs/e2e/cucumber-messages.js';
import type { E2eReport } from '../../../src/model/e2e.js';
import { chunksOf, errorOf } from '../../support/streams.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/e2e/', import.meta.url));
const FILE = 'reports/cucumber.ndjson';

function fixture(name: string): string {
  const folder = name.startsWith('cucumber-js12__') ? 'generated' : 'cucumber-messages';
  return readFileSync(join(FIXTURES, folder, name), 'utf8');
}

function parse(text: string, size?: number): Promise<E2eReport> {
  return cucumberMessagesParser.parse(chunksOf(text, size), FILE);
}

async function parseError(text: string): Promise<QgateError> {
  return errorOf(parse(text));
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** A deterministic shuffle (a linear congruential generator), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const RETRY = 'cck-fake-cucumber__cucumber_compatibility-kit__retry.ndjson';
const RUN = 'cucumber-js12__reservations.ndjson';

describe('cucumber-messages: a stream read line by line', () => {
  it.each([RETRY, RUN, 'cucumber-js8__DespotMagic_cucumber-selenium-autotests__cucumber-messages.ndjson'])(
    'gives the same result for %s whatever the envelope order and chunk boundaries',
    async (name) => {
      const text = fixture(name);
      const expected = await parse(text);
      for (const seed of [1, 7, 42]) expect(await parse(`${shuffled(lines(text), seed).join('\n')}\n`)).toEqual(expected);
      expect(await parse(text, 1)).toEqual(expected);
      expect(await parse(text, 13)).toEqual(expected);
      expect(await parse(text.replace(/\n/g, '\r\n\r\n'))).toEqual(expected);
    },
  );

  it('counts test cases, not pickles, and each retried test case once by its last attempt', async () => {
    const report = await parse(fixture(RETRY));
    expect(report.scenarios.map(({ name, status, attempts, flaky }) => ({ name, status, attempts, flaky }))).toEqual([
      { name: "Test cases that pass aren't retried", status: 'passed', attempts: 1, flaky: false },
      { name: 'Test cases that fail are retried if within the --retry limit', status: 'passed', attempts: 2, flaky: true },
      { name: 'Test cases that fail will continue to retry up to the --retry limit', status: 'passed', attempts: 3, flaky: true },
      { name: "Test cases won't retry after failing more than the --retry limit", status: 'failed', attempts: 3, flaky: false },
    ]);
  });

  it('names the hook that failed a scenario, from its type or from its place among the steps', async () => {
    const report = await parse(fixture('cucumber-js8__DespotMagic_cucumber-selenium-autotests__cucumber-messages.ndjson'));
    expect(report.scenarios).toHaveLength(4);
    const hooks = fixture('cck-fake-cucumber__cucumber_compatibility-kit__hooks-attachment.ndjson');
    // Make the After hook (type AFTER_TEST_CASE) fail.
    const afterHook = lines(hooks).find((line) => line.includes('"AFTER_TEST_CASE"'));
    const hookId = afterHook === undefined ? undefined : (JSON.parse(afterHook) as { hook: { id: string } }).hook.id;
    const stepId = lines(hooks)
      .map((line) => JSON.parse(line) as { testCase?: { testSteps: { id: string; hookId?: string }[] } })
      .flatMap((envelope) => envelope.testCase?.testSteps ?? [])
      .find((testStep) => testStep.hookId === hookId)?.id;
    expect(stepId).toBeDefined();
    const failing = lines(hooks).map((line) => {
      const envelope = JSON.parse(line) as { testStepFinished?: { testStepId: string; testStepResult: Record<string, unknown> } };
      if (envelope.testStepFinished?.testStepId !== stepId) return line;
      envelope.testStepFinished!.testStepResult = { status: 'FAILED', message: 'teardown broke\n  at hooks.ts:9', duration: { seconds: 0, nanos: 1 } };
      return JSON.stringify(envelope);
    });
    const [entry] = (await parse(failing.join('\n'))).scenarios;
    expect(entry).toMatchObject({ status: 'failed', failedStep: { keyword: 'After', line: null }, error: 'teardown broke\n  at hooks.ts:9' });
    expect(entry?.failedStep?.text).toMatch(/hooks-attachment\.ts:\d+$/);
    // Without the type (cucumber-js 7-8 write none), a hook after the last step is an After hook.
    const untyped = failing.map((line) => line.replace('"type":"AFTER_TEST_CASE",', ''));
    expect((await parse(untyped.join('\n'))).scenarios[0]?.failedStep?.keyword).toBe('After');
  });
});

describe('cucumber-messages: runs that did not complete', () => {
  it('reports a stream cut at a line end, before testRunFinished, as a run error', async () => {
    const all = lines(fixture(RUN));
    const cut = all.slice(0, all.findIndex((line) => line.startsWith('{"testCaseFinished"')) + 1);
    const report = await parse(cut.join('\n'));
    expect(report.runError).toBe('the stream ends before testRunFinished: the run was interrupted, or the file was cut at the end of a line');
    expect(report.scenarios).toHaveLength(1);
  });

  it('counts a test case that started but never finished as failed', async () => {
    const all = lines(fixture(RUN));
    const lastStarted = all.findLastIndex((line) => line.startsWith('{"testCaseStarted"'));
    const report = await parse(all.slice(0, lastStarted + 3).join('\n'));
    const last = report.scenarios.at(-1);
    expect(last).toMatchObject({ status: 'failed', error: expect.stringContaining('never finished') as unknown });
    expect(report.runError).toContain('before testRunFinished');
  });

  it('reports failed BeforeAll and AfterAll hooks even when every scenario passed', async () => {
    const text = fixture('cck-fake-cucumber__cucumber_compatibility-kit__hooks-attachment.ndjson');
    const hookLine = '{"hook":{"id":"h-all","type":"AFTER_TEST_RUN","sourceReference":{"uri":"support\\\\hooks.ts","location":{"line":4}}}}';
    const started = '{"testRunHookStarted":{"id":"r1","testRunStartedId":"x","hookId":"h-all","timestamp":{"seconds":0,"nanos":0}}}';
    const finished = '{"testRunHookFinished":{"testRunHookStartedId":"r1","timestamp":{"seconds":0,"nanos":0},"result":{"status":"FAILED","message":"\\ndb still open\\nstack","duration":{"seconds":0,"nanos":0}}}}';
    const report = await parse(`${hookLine}\n${text}${started}\n${finished}\n`);
    expect(report.scenarios.map((entry) => entry.status)).toEqual(['passed']);
    expect(report.runError).toBe('AfterAll hook (support/hooks.ts:4) failed: db still open');
  });

  it('reports testRunFinished.success false without a failing scenario, and not when a scenario explains it', async () => {
    const passing = fixture('cck-fake-cucumber__cucumber_compatibility-kit__backgrounds.ndjson').replace('"success":true', '"success":false');
    expect((await parse(passing)).runError).toBe('the run failed (testRunFinished.success is false) with no failing scenario');
    expect((await parse(fixture('cck-fake-cucumber__cucumber_compatibility-kit__pending.ndjson'))).runError).toBeNull();
  });
});

describe('cucumber-messages: broken streams', () => {
  it('names a line that is not JSON, saying whether the file ends there', async () => {
    const all = lines(fixture(RETRY));
    const middle = await parseError([...all.slice(0, 4), '{"pickle":{"id":', ...all.slice(4)].join('\n'));
    expect(middle).toMatchObject({ code: 'INPUT_MALFORMED', position: { line: 5 }, file: FILE, format: 'cucumber-messages' });
    expect(middle.message).toMatch(/^line 5 is not a valid JSON envelope \(.+\), and more lines follow: the file is damaged there/);
    const end = await parseError([...all.slice(0, 4), '{"pickle":{"id":'].join('\n'));
    expect(end.message).toMatch(/^line 5 is not a valid JSON envelope \(.+\) and is the last one: the file looks truncated\.$/);
  });

  it('refuses lines that are JSON but no envelope', async () => {
    expect((await parseError('{"meta":{}}\n[1,2]\n')).message).toBe('line 2 holds an array, not a Cucumber message envelope (an object such as {"pickle": …}).');
    expect((await parseError('{"meta":{}}\n{}\n')).message).toBe('line 2 has no key; a Cucumber message envelope has exactly one.');
    expect((await parseError('{"futureEnvelope":{"x":1}}\n')).message).toBe(
      'has no Cucumber message: none of its 1 line is an envelope the protocol defines (meta, pickle, testCase, ...).',
    );
  });

  it('ignores envelope types it does not know, for newer protocol versions', async () => {
    const text = fixture('cck-fake-cucumber__cucumber_compatibility-kit__data-tables.ndjson');
    expect(await parse(`{"someFutureEnvelope":{"id":"1"}}\n${text}`)).toEqual(await parse(text));
  });
});

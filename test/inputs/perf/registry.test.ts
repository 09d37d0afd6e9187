import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, isQgateError, type QgateError } from '../../../src/errors.js';
import { K6_FORMATS, findK6Parser, readK6Run, sniffK6Format } from '../../../src/inputs/perf/registry.js';
import { HEAD_BYTES } from '../../../src/inputs/read-input.js';
import { errorOf, PERF_FIXTURES } from './k6-fixtures.js';

const BAD = join(PERF_FIXTURES, 'bad');

interface BadExpectation {
  format: string;
  code: string;
  position?: { line: number; column?: number };
  messageIncludes?: string;
  /** With onBrokenLine: skip, the file parses and counts this many broken lines. */
  skip?: { brokenLines: number };
}

function badCases(): { defect: string; data: string; expected: BadExpectation }[] {
  const names = readdirSync(BAD);
  return names
    .filter((name) => name.endsWith('.expected.json'))
    .map((expectedName) => {
      const defect = expectedName.slice(0, -'.expected.json'.length);
      const data = names.find((name) => name.startsWith(`${defect}.`) && !name.endsWith('.expected.json'));
      if (data === undefined) throw new Error(`no data file for ${expectedName}`);
      return { defect, data: join(BAD, data), expected: JSON.parse(readFileSync(join(BAD, expectedName), 'utf8')) as BadExpectation };
    });
}

describe('k6 format sniffing (by content, never by name)', () => {
  for (const format of K6_FORMATS) {
    const folder = join(PERF_FIXTURES, format);
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))) {
      it(`${format}/${name}`, () => {
        const head = readFileSync(join(folder, name), 'utf8').slice(0, HEAD_BYTES);
        expect(sniffK6Format(head)?.format).toBe(format);
      });
    }
  }

  it('recognises the summaries written on one line (handleSummary’s usual JSON.stringify(data))', () => {
    for (const format of ['k6-summary-export', 'k6-handle-summary', 'k6-machine-readable'] as const) {
      const folder = join(PERF_FIXTURES, format);
      for (const name of readdirSync(folder).filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))) {
        const compact = JSON.stringify(JSON.parse(readFileSync(join(folder, name), 'utf8')));
        expect(sniffK6Format(compact)?.format, name).toBe(format);
      }
    }
  });

  it('recognises --summary-export when a long root_group fills the head', () => {
    const checks = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`check ${i}`, { name: `check ${i}`, path: `::check ${i}`, id: String(i), passes: 1, fails: 0 }]));
    const head = JSON.stringify({ root_group: { name: '', path: '', id: 'x', groups: {}, checks }, metrics: {} }, null, 4).slice(0, HEAD_BYTES);
    expect(sniffK6Format(head)?.format).toBe('k6-summary-export');
  });

  it('recognises handleSummary when a long root_group fills the head', () => {
    const checks = Array.from({ length: 2000 }, (_, i) => ({ name: `check ${i}`, path: `::check ${i}`, id: String(i), passes: 1, fails: 0 }));
    const head = JSON.stringify({ root_group: { name: '', path: '', id: 'x', groups: [], checks }, metrics: {} }, null, 2).slice(0, HEAD_BYTES);
    expect(sniffK6Format(head)?.format).toBe('k6-handle-summary');
  });

  it('recognises nothing in an lcov file, a Cucumber JSON array or a pretty-printed Point', () => {
    expect(sniffK6Format('TN:\nSF:src/a.ts\nDA:1,1\nend_of_record\n')).toBeUndefined();
    expect(sniffK6Format('[{"uri":"a.feature","elements":[]}]')).toBeUndefined();
    expect(sniffK6Format('{\n  "type": "Point",\n  "metric": "vus"\n}')).toBeUndefined();
  });

  it('refuses an unknown forced format as a usage error', () => {
    expect(() => findK6Parser('k6-csv' as never)).toThrow(/unknown k6 format "k6-csv"/);
  });
});

describe('k6 bad inputs: a clear error with its code, never a stack trace', () => {
  const cases = badCases();

  it('has the bad fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
  });

  for (const { defect, data, expected } of cases) {
    it(`${defect} → ${expected.code}`, async () => {
      const error = await errorOf(readK6Run(`perf/${defect}`, data));
      if (!isQgateError(error)) throw error;
      const qgateError: QgateError = error;
      expect(qgateError.code).toBe(expected.code);
      expect(qgateError.exitCode).toBe(3);
      if (expected.position) expect(qgateError.position).toEqual(expected.position);
      if (expected.messageIncludes) expect(qgateError.message).toContain(expected.messageIncludes);
      if (expected.code === 'INPUT_MALFORMED') expect(qgateError.format).toBe(expected.format);
      const rendered = formatError(qgateError);
      expect(rendered.startsWith(`qgate: error ${expected.code}: perf/${defect}`)).toBe(true);
      expect(rendered).not.toMatch(/\n\s+at /);
      // Messages are phrases without the file name: formatError puts it in front.
      expect(qgateError.message).not.toContain(defect);
      if (expected.code === 'INPUT_BINARY') expect(qgateError.hint).toContain('gunzip');
      if (expected.skip) {
        const run = await readK6Run(`perf/${defect}`, data, undefined, { onBrokenLine: 'skip' });
        expect(run.warnings[0]).toMatch(new RegExp(`^skipped ${expected.skip.brokenLines} broken line`));
      }
    });
  }
});

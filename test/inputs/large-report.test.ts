/**
 * Large-report mode (check/read-inputs.ts): a report over LARGE_REPORT_BYTES keeps line data only
 * for the records that may be the MR's changed files, and totals for the rest, so memory follows
 * the MR. The figures must not move: the same totals per file, the same lines for kept files.
 */
import { describe, expect, it } from 'vitest';
import { mayBeChanged } from '../../src/check/read-inputs.js';
import { parseCobertura } from '../../src/inputs/coverage/cobertura.js';
import { countCovered } from '../../src/inputs/coverage/line-hits.js';
import { lcovParser } from '../../src/inputs/coverage/lcov.js';
import type { ParsedCoverageReport } from '../../src/model/coverage.js';

async function* chunksOf(text: string, size = 97): AsyncIterable<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}

function totalsOf(report: ParsedCoverageReport): Record<string, [number, number]> {
  return Object.fromEntries(report.files.map((file) => [file.path, file.lines ? [countCovered(file.lines), file.lines.lines.length] : [file.totals?.covered ?? -1, file.totals?.total ?? -1]]));
}

const LCOV = [
  'TN:', 'SF:src/a.ts', 'DA:1,1', 'DA:2,0', 'DA:3,4', 'end_of_record',
  'TN:', 'SF:src/b.ts', 'DA:3,0', 'DA:1,2', 'DA:1,0', 'end_of_record',
  'SF:/builds/g/p/src/c.ts', 'DA:5,1', 'end_of_record',
  'SF:src/b.ts', 'DA:7,1', 'end_of_record',
].join('\n') + '\n';

describe('large-report mode', () => {
  it('lcov: the kept files keep their lines, the others exactly their totals', async () => {
    const whole = await lcovParser.parse(chunksOf(LCOV), 'lcov.info');
    const large = await lcovParser.parse(chunksOf(LCOV), 'lcov.info', { keepLines: (path) => path.endsWith('c.ts') });
    expect(large.files.find((file) => file.path.endsWith('c.ts'))?.lines).toEqual(whole.files.find((file) => file.path.endsWith('c.ts'))?.lines);
    expect(large.files.find((file) => file.path === 'src/a.ts')?.lines).toBeNull();
    // Out-of-order and repeated DA lines are counted as build() counts them.
    expect(totalsOf(large)['src/a.ts']).toEqual(totalsOf(whole)['src/a.ts']);
    expect(large.warnings.at(-1)).toMatch(/^large report: 2 files the merge request did not change kept as line totals only/);
  });

  it('Cobertura: totals per file summed over its classes, kept files unchanged', async () => {
    const xml = `<?xml version="1.0"?><coverage><sources><source>/builds/g/p</source></sources><packages><package name="p"><classes>
      <class name="A" filename="src/a.ts"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class>
      <class name="A2" filename="src/a.ts"><lines><line number="8" hits="3"/></lines></class>
      <class name="C" filename="src/c.ts"><lines><line number="5" hits="0"/><line number="6" hits="2"/></lines></class>
    </classes></package></packages></coverage>`;
    const whole = await parseCobertura(chunksOf(xml), 'cobertura.xml');
    const large = await parseCobertura(chunksOf(xml), 'cobertura.xml', { keepLines: (path) => path === 'src/c.ts' });
    expect(totalsOf(large)).toEqual(totalsOf(whole));
    expect(large.files.find((file) => file.path === 'src/a.ts')?.lines).toBeNull();
    expect(large.files.find((file) => file.path === 'src/c.ts')?.lines).toEqual(whole.files.find((file) => file.path === 'src/c.ts')?.lines);
  });

  it('keeps every report path path resolution could match to a changed file, by whole segments', () => {
    const keep = mayBeChanged(new Set(['packages/pay/src/index.ts', 'README.md']));
    for (const path of ['packages/pay/src/index.ts', '/builds/acme/mono/packages/pay/src/index.ts', 'src/index.ts', './src/index.ts', 'C:\\ci\\packages\\pay\\src\\index.ts', 'PACKAGES/Pay/src/index.ts']) {
      expect(keep(path), path).toBe(true);
    }
    for (const path of ['packages/shop/src/index.ts', 'packages/pay/src/main.ts', 'pay/src/index.ts.map', 'xsrc/index.ts']) {
      expect(keep(path), path).toBe(false);
    }
  });
});

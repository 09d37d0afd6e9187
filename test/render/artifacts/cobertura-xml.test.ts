import { describe, expect, it } from 'vitest';
import { lineHitsEntries, lineHitsOf } from '../../../src/inputs/coverage/line-hits.js';
import { parseCobertura } from '../../../src/inputs/coverage/cobertura.js';
import type { FileCoverage, MergedCoverage } from '../../../src/measure/merge-coverage.js';
import type { LineHits } from '../../../src/model/coverage.js';
import { renderCoberturaXml, selectCoberturaFiles, UNCHANGED_FILES_MAX_BYTES } from '../../../src/render/artifacts/cobertura-xml.js';
import { stripInvalidXmlChars } from '../../../src/render/artifacts/xml-escape.js';
import { chunksOf, descendants, HOSTILE, parseXmlTree, type XmlElement } from './result-fixture.js';

const OPTIONS = { timestamp: 1_767_323_045_000, sourceRoot: '/builds/group/project' };

// Required attributes of the Cobertura DTD (http://cobertura.sourceforge.net/xml/coverage-04.dtd).
const REQUIRED: Record<string, string[]> = {
  coverage: ['line-rate', 'branch-rate', 'lines-covered', 'lines-valid', 'branches-covered', 'branches-valid', 'complexity', 'version', 'timestamp'],
  package: ['name', 'line-rate', 'branch-rate', 'complexity'],
  class: ['name', 'filename', 'line-rate', 'branch-rate', 'complexity'],
  line: ['number', 'hits'],
};

function checkDtd(tree: XmlElement): void {
  expect(tree.name).toBe('coverage');
  expect(tree.children.map((child) => child.name)).toEqual(['sources', 'packages']);
  for (const [element, attributes] of Object.entries(REQUIRED)) {
    const elements = element === 'coverage' ? [tree] : descendants(tree, element);
    for (const found of elements) for (const attribute of attributes) expect(found.attributes, `${element}@${attribute}`).toHaveProperty(attribute);
  }
  for (const cls of descendants(tree, 'class')) expect(cls.children.map((child) => child.name)).toEqual(['methods', 'lines']);
  for (const line of descendants(tree, 'line')) {
    expect(line.attributes.number).toMatch(/^[1-9]\d*$/);
    expect(line.attributes.hits).toMatch(/^\d+$/);
  }
}

async function roundTrip(xml: string): Promise<Record<string, Array<[number, number]>>> {
  const parsed = await parseCobertura(chunksOf(xml), 'cobertura.xml');
  return Object.fromEntries(parsed.files.map((file) => [file.path, file.lines ? lineHitsEntries(file.lines) : []]));
}

const FILES: Array<[string, LineHits]> = [
  ['src/a.ts', lineHitsOf([[1, 3], [2, 0], [5, 1]])],
  ['src/dir with space/b é.ts', lineHitsOf([[10, 0], [11, 0]])],
];

describe('renderCoberturaXml', () => {
  it('writes a DTD-complete document whose totals match its lines', async () => {
    const xml = renderCoberturaXml(FILES, OPTIONS);
    expect(xml).toContain('<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">');
    const tree = await parseXmlTree(xml, ['source']);
    checkDtd(tree);
    expect(tree.attributes).toMatchObject({ 'lines-covered': '2', 'lines-valid': '5', 'line-rate': '0.4', 'branch-rate': '0', timestamp: '1767323045000' });
    expect(descendants(tree, 'source').map((source) => source.text)).toEqual(['/builds/group/project']);
    const classes = descendants(tree, 'class');
    expect(classes.map((cls) => [cls.attributes.filename, cls.attributes['line-rate']])).toEqual([
      ['src/a.ts', '0.6667'],
      ['src/dir with space/b é.ts', '0'],
    ]);
  });

  it("round-trips lines and hits through qgate's own Cobertura parser", async () => {
    const xml = renderCoberturaXml(FILES, OPTIONS);
    expect(await roundTrip(xml)).toEqual({ 'src/a.ts': [[1, 3], [2, 0], [5, 1]], 'src/dir with space/b é.ts': [[10, 0], [11, 0]] });
    const parsed = await parseCobertura(chunksOf(xml), 'cobertura.xml');
    expect(parsed.sourceRoots).toEqual(['/builds/group/project']);
    expect(parsed.producerTotals).toEqual({ covered: 2, total: 5 });
  });

  it('writes an empty but valid document for no files', async () => {
    const tree = await parseXmlTree(renderCoberturaXml([], OPTIONS), ['source']);
    checkDtd(tree);
    expect(tree.attributes).toMatchObject({ 'lines-valid': '0', 'lines-covered': '0', 'line-rate': '0' });
  });

  it('writes hits as whole counts whatever the merge produced', async () => {
    const xml = renderCoberturaXml([['x.ts', lineHitsOf([[1, 2.6], [2, Number.POSITIVE_INFINITY], [3, 1e300]])]], OPTIONS);
    expect(await roundTrip(xml)).toEqual({ 'x.ts': [[1, 3], [2, 0], [3, Number.MAX_SAFE_INTEGER]] });
  });

  it('stays well-formed with hostile paths and a hostile source root', async () => {
    const path = `src/${HOSTILE}.ts`;
    const xml = renderCoberturaXml([[path, lineHitsOf([[1, 1]])]], { timestamp: Number.NaN, sourceRoot: HOSTILE });
    expect(xml).not.toContain('<script>');
    const tree = await parseXmlTree(xml, ['source']);
    checkDtd(tree);
    expect(tree.attributes.timestamp).toBe('0');
    expect(descendants(tree, 'class')[0]?.attributes.filename).toBe(stripInvalidXmlChars(path));
    expect(descendants(tree, 'source')[0]?.text).toBe(stripInvalidXmlChars(HOSTILE));
    expect(Object.keys(await roundTrip(xml))).toEqual([stripInvalidXmlChars(path)]);
  });
});

function merged(entries: Array<[string, LineHits | null]>): MergedCoverage {
  const files = new Map<string, FileCoverage>(entries.map(([path, lines]) => [path, { lines, totals: lines ? null : { covered: 1, total: 2 } }]));
  return { files, unresolved: [], overall: { covered: 0, total: 0, percent: null, files: files.size }, disagreements: new Map() };
}

function manyLines(count: number): LineHits {
  return lineHitsOf(Array.from({ length: count }, (_, index) => [index + 1, index % 2] as const));
}

describe('selectCoberturaFiles', () => {
  it('takes every file with line data when it fits, changed files first, each group by path', () => {
    const selection = selectCoberturaFiles(
      merged([['z.ts', manyLines(2)], ['b.ts', manyLines(2)], ['summary-only.ts', null], ['a.ts', manyLines(2)]]),
      new Set(['z.ts']),
    );
    expect(selection.files.map(([path]) => path)).toEqual(['z.ts', 'a.ts', 'b.ts']);
    expect(selection).toMatchObject({ truncated: 0, omitted: 0 });
  });

  it('prefers changed files and reports the changed files it had to leave out', () => {
    const coverage = merged([['big-changed.ts', manyLines(2000)], ['changed.ts', manyLines(10)], ['other.ts', manyLines(10)]]);
    const budget = 16 * 1024 + 2000; // the envelope plus room for the small changed file only
    const selection = selectCoberturaFiles(coverage, new Set(['changed.ts', 'big-changed.ts']), budget);
    // Paths sort big-changed.ts first; it does not fit, so nothing after it is added.
    expect(selection.files.map(([path]) => path)).toEqual([]);
    expect(selection).toMatchObject({ truncated: 2, omitted: 1 });

    const roomy = selectCoberturaFiles(coverage, new Set(['changed.ts']), budget);
    expect(roomy.files.map(([path]) => path)).toEqual(['changed.ts']);
    expect(roomy).toMatchObject({ truncated: 0, omitted: 2 });
  });

  it('keeps the rendered document under the budget', () => {
    const coverage = merged(Array.from({ length: 40 }, (_, index) => [`src/file-${String(index).padStart(2, '0')}.ts`, manyLines(500)] as [string, LineHits]));
    const maxBytes = 200 * 1024;
    const selection = selectCoberturaFiles(coverage, new Set(['src/file-39.ts']), maxBytes);
    expect(selection.files[0]?.[0]).toBe('src/file-39.ts');
    expect(selection.omitted).toBeGreaterThan(0);
    expect(selection.truncated).toBe(0);
    const xml = renderCoberturaXml(selection.files, { timestamp: 0, sourceRoot: '/'.padEnd(4096, 'x') });
    expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(maxBytes);
  });
});

describe('cobertura.xml scales with the merge request', () => {
  it('gives unchanged files at most UNCHANGED_FILES_MAX_BYTES and says in the file what it left out', () => {
    const coverage = merged(Array.from({ length: 400 }, (_, index) => [`src/f-${String(index).padStart(3, '0')}.ts`, manyLines(500)] as [string, LineHits]));
    const selection = selectCoberturaFiles(coverage, new Set(['src/f-399.ts']));
    expect(selection.files[0]?.[0]).toBe('src/f-399.ts');
    expect(selection.omitted).toBeGreaterThan(0);
    const xml = renderCoberturaXml(selection.files, { timestamp: 0, sourceRoot: '/repo', leftOut: selection });
    expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(UNCHANGED_FILES_MAX_BYTES + 64 * 1024);
    expect(xml).toContain(`<!-- qgate: left out 0 changed and ${selection.omitted} unchanged files`);
  });
});

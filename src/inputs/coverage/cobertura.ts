/**
 * Cobertura XML from any producer: istanbul/jest/vitest, coverage.py, gcovr, coverlet,
 * dotnet-coverage, AltCover, JaCoCo converters, gocover-cobertura, PHPUnit, tarpaulin, simplecov, ...
 * Reference DTD: http://cobertura.sourceforge.net/xml/coverage-04.dtd (never fetched).
 *
 * Producers bend every part of `coverage > packages > package > classes > class > lines > line`
 * (see fixtures-real/FORMATS.md §1), so elements are recognised by their own name and their
 * parent only, never by a full path. Totals are recomputed from the `<line>` elements; the root
 * attributes are kept as a hint.
 */
import { QgateError } from '../../errors.js';
import type { LineHits, ParsedCoverageReport } from '../../model/coverage.js';
import { readXml, sniffXmlRoot, type XmlVisitor } from '../xml.js';
import { isCloverRoot } from './clover.js';
import { cappedHitsWarning, capHitCounts, createLineHitsBuilder, isImpossibleHitCount, MAX_LINE_NUMBER, mergeLineHitsMax, type LineHitsBuilder } from './line-hits.js';
import type { CoverageParseOptions, CoverageParser } from './parser.js';
import { detach } from '../../text/detach.js';

const LABEL = 'Cobertura XML';
const TEXT_ELEMENTS: ReadonlySet<string> = new Set(['source']);

interface OpenClass {
  /** The map of the class's file, shared by every class that names the same file; for a totals-only file (large report), the class's own. */
  lines: LineHitsBuilder;
  /** Set for a totals-only file: the class's lines are counted into it at </class>, then dropped. */
  totalsOf?: string;
  /** Set for a kept file of a large report: the class's lines are built at </class> and merged into the file's. */
  keptOf?: string;
  hasClassLines: boolean;
  methodLineNumbers: number[];
  methodLineHits: number[];
}

export const coberturaParser: CoverageParser = {
  format: 'cobertura',
  label: LABEL,
  sniff(head) {
    const root = sniffXmlRoot(head);
    return root !== undefined && root.name === 'coverage' && !isCloverRoot(root);
  },
  parse: parseCobertura,
};

export async function parseCobertura(chunks: AsyncIterable<string>, file: string, options: CoverageParseOptions = {}): Promise<ParsedCoverageReport> {
  // Keyed by `filename` exactly as written: many <class> elements share one file (Go receiver
  // types in gocover-cobertura, nested and compiler-generated `<>c` classes in coverlet,
  // dotnet-coverage and AltCover, Scala case classes), so coverage is aggregated by file.
  const files = new Map<string, LineHitsBuilder>();
  // Large report: files the MR did not change keep only totals, summed per class.
  const totalsOnly = new Map<string, { covered: number; total: number }>();
  const keepLines = options.keepLines;
  // One builder serves every totals-only class in turn: counted at </class>, then emptied.
  const scratch = createLineHitsBuilder();
  // Large report, kept files: each class's lines become typed arrays at </class> (merged into the
  // file's), so no growable per-file builder waits in memory until the end of the report.
  const keptBuilt = new Map<string, { lines: LineHits; added: number }>();
  const keptScratch = createLineHitsBuilder();
  const sourceRoots: string[] = [];
  let producerTotals: ParsedCoverageReport['producerTotals'];
  let ignoredTotals = false;
  const stack: string[] = [];
  let openClass: OpenClass | undefined;
  let sourceText = '';

  // scoverage, AltCover and the compiler-generated classes of dotnet-coverage repeat a
  // line; the builder keeps it once, executed if any of its records says so.
  const addLine = (lines: LineHitsBuilder, number: number, hits: number): void => lines.add(number, hits);

  const visitor: XmlVisitor = {
    textOf: TEXT_ELEMENTS,
    openTag(name, attributes) {
      const parent = stack[stack.length - 1];
      stack.push(name);
      if (parent === undefined) {
        checkRoot(name, attributes, file);
        const totals = readProducerTotals(attributes);
        ignoredTotals = totals === null;
        producerTotals = totals ?? undefined;
        return;
      }
      if (name === 'line') {
        if (openClass === undefined || parent !== 'lines') return;
        const owner = stack[stack.length - 3];
        const number = readLineNumber(attributes.number, file);
        const hits = readHits(attributes.hits, file);
        if (owner === 'class') {
          openClass.hasClassLines = true;
          addLine(openClass.lines, number, hits);
        } else if (owner === 'method') {
          openClass.methodLineNumbers.push(number);
          openClass.methodLineHits.push(hits);
        }
        return;
      }
      if (name === 'class') {
        const filename = attributes.filename === undefined ? undefined : detach(attributes.filename);
        if (filename === undefined || filename === '') {
          throw brokenReport(`has a <class> element without a filename attribute.`);
        }
        if (keepLines !== undefined && !files.has(filename) && !keepLines(filename)) {
          scratch.reset();
          openClass = { lines: scratch, totalsOf: filename, hasClassLines: false, methodLineNumbers: [], methodLineHits: [] };
          return;
        }
        if (keepLines !== undefined && !files.has(filename)) {
          keptScratch.reset();
          openClass = { lines: keptScratch, keptOf: filename, hasClassLines: false, methodLineNumbers: [], methodLineHits: [] };
          return;
        }
        let lines = files.get(filename);
        if (lines === undefined) {
          lines = createLineHitsBuilder();
          files.set(filename, lines);
        }
        openClass = { lines, hasClassLines: false, methodLineNumbers: [], methodLineHits: [] };
        return;
      }
      if (name === 'source' && parent === 'sources') {
        sourceText = '';
        return;
      }
      if (name === 'project' && parent === 'coverage' && stack.length === 2) {
        throw notCobertura(file, 'it is a Clover report (<coverage> holds a <project>)');
      }
    },
    text(text) {
      sourceText += text;
    },
    closeTag(name) {
      stack.pop();
      if (name === 'class' && openClass !== undefined) {
        // Method <lines> repeat the class <lines> (coverlet, gcovr, gocover, dotnet-coverage) or
        // hold only the line that declares the function (istanbul, whose own lines-valid and lcov
        // leave it out), so they count only for a class with no class-level line at all: the Swift
        // xccov converter (ReportGenerator's Cobertura_Swift.xml) writes lines only in <methods>.
        if (!openClass.hasClassLines) {
          const { lines, methodLineNumbers, methodLineHits } = openClass;
          for (let index = 0; index < methodLineNumbers.length; index += 1) {
            addLine(lines, methodLineNumbers[index] ?? 0, methodLineHits[index] ?? 0);
          }
        }
        if (openClass.totalsOf !== undefined) {
          const counted = openClass.lines.totals();
          openClass.lines.reset();
          const sum = totalsOnly.get(openClass.totalsOf) ?? { covered: 0, total: 0 };
          sum.total += counted.total;
          sum.covered += counted.covered;
          totalsOnly.set(openClass.totalsOf, sum);
        } else if (openClass.keptOf !== undefined) {
          const built = openClass.lines.build();
          const added = openClass.lines.added;
          openClass.lines.reset();
          const earlier = keptBuilt.get(openClass.keptOf);
          keptBuilt.set(openClass.keptOf, earlier === undefined ? { lines: built, added } : { lines: mergeLineHitsMax(earlier.lines, built), added: earlier.added + added });
        }
        openClass = undefined;
      } else if (name === 'source' && stack[stack.length - 1] === 'sources') {
        // coverage.py 4 writes an empty <source></source>, ReportGenerator an empty <sources />.
        const root = sourceText.trim();
        if (root !== '') sourceRoots.push(root);
        sourceText = '';
      }
    },
  };

  await readXml(chunks, { file, format: 'cobertura' }, visitor);

  let duplicates = 0;
  let capped = 0;
  const built = [...files].map(([path, builder]) => {
    const lines = builder.build();
    duplicates += builder.added - lines.lines.length;
    capped += capHitCounts(lines);
    return { path, lines } as ParsedCoverageReport['files'][number];
  });
  for (const [path, kept] of keptBuilt) {
    duplicates += kept.added - kept.lines.lines.length;
    capped += capHitCounts(kept.lines);
    built.push({ path, lines: kept.lines });
  }
  for (const [path, totals] of totalsOnly) built.push({ path, lines: null, totals });
  const warnings: string[] = [];
  if (duplicates > 0) {
    warnings.push(`${duplicates} repeated <line> record${duplicates === 1 ? '' : 's'} for the same file and line merged, keeping the highest hit count.`);
  }
  if (capped > 0) warnings.push(cappedHitsWarning(capped, 'hits value'));
  if (totalsOnly.size > 0) {
    warnings.push(
      `large report: ${totalsOnly.size} file${totalsOnly.size === 1 ? '' : 's'} the merge request did not change kept as line totals only (summed per <class>; they count for overall coverage; their lines are not in cobertura.xml).`,
    );
  }
  if (ignoredTotals) warnings.push('its lines-covered/lines-valid are not whole numbers from 0 to 2^53; those producer totals were ignored.');
  const report: ParsedCoverageReport = {
    format: 'cobertura',
    sourceRoots,
    files: built,
    warnings,
  };
  if (producerTotals !== undefined) report.producerTotals = producerTotals;
  return report;
}

function checkRoot(name: string, attributes: Readonly<Record<string, string>>, file: string): void {
  if (name !== 'coverage') throw notCobertura(file, `its root element is <${name}>, not <coverage>`);
  if (attributes.clover !== undefined) throw notCobertura(file, 'it is a Clover report (its root has a clover attribute)');
}

function notCobertura(file: string, why: string): QgateError {
  return new QgateError('INPUT_MALFORMED', `is not a Cobertura report: ${why}.`, {
    hint: 'Pass a Cobertura XML report, or let qgate detect the format instead of forcing it.',
  });
}

/**
 * The root's `lines-covered`/`lines-valid`, when both are numbers. Many producers leave them out
 * (AltCover, coverage.py 4, Cobertura 1.9, jcc2c, OpenCppCoverage) or disagree with their own
 * lines (dotnet-coverage counts method-level records, duplicates included), so they stay a hint.
 */
function readProducerTotals(attributes: Readonly<Record<string, string>>): ParsedCoverageReport['producerTotals'] | null {
  const covered = readCount(attributes['lines-covered']);
  const total = readCount(attributes['lines-valid']);
  if (covered === undefined || total === undefined) return undefined;
  // A total past 2^53 is no line count and would reach result.json inexact: null, ignored with a warning.
  return Number.isSafeInteger(covered) && Number.isSafeInteger(total) ? { covered, total } : null;
}

function readCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  // Number('') and Number(' ') are 0, so a zero must also be written as one.
  return Number.isFinite(count) && count >= 0 && (count !== 0 || value.trim() !== '') ? count : undefined;
}

function readLineNumber(value: string | undefined, file: string): number {
  const number = value === undefined ? Number.NaN : Number(value);
  if (Number.isInteger(number) && number > 0 && number <= MAX_LINE_NUMBER) return number;
  throw badLineAttribute(file, 'number', value, 'a positive whole number');
}

/** Hits are whole numbers in every producer seen, but a `"1.0"` or a count past 2^53 is still a count. */
function readHits(value: string | undefined, file: string): number {
  const hits = readCount(value);
  if (hits !== undefined && !isImpossibleHitCount(hits)) return hits;
  throw badLineAttribute(file, 'hits', value, 'a count of zero or more (at most 2^64)');
}

function badLineAttribute(file: string, attribute: string, value: string | undefined, expected: string): QgateError {
  if (value === undefined) {
    return brokenReport(`has a <line> element without a ${attribute} attribute.`);
  }
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return brokenReport(`has a <line> element with ${attribute}="${shown}", which is not ${expected}.`);
}

/** A well-formed document that breaks the Cobertura format itself. */
function brokenReport(message: string): QgateError {
  return new QgateError('INPUT_MALFORMED', message, {
    hint: 'Regenerate the report; if it stays broken, report it to the tool that wrote it (it does not follow the Cobertura format).',
  });
}

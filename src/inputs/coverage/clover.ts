/**
 * Clover XML: istanbul's clover reporter (jest, vitest, nyc), PHPUnit and OpenClover.
 * Shape: `coverage > project > (package >)? file > (metrics, class, line*)`, with test sources in
 * an optional `coverage > testproject`. Reference: OpenClover's schema,
 * https://github.com/openclover/clover/blob/master/clover-core/src/main/resources/clover.xsd
 */
import { QgateError } from '../../errors.js';
import type { ParsedCoverageReport } from '../../model/coverage.js';
import { cappedHitsWarning, capHitCounts, createLineHitsBuilder, isImpossibleHitCount, MAX_LINE_NUMBER, type LineHitsBuilder } from './line-hits.js';
import { readXml, sniffXmlRoot, type XmlRootSniff, type XmlVisitor } from '../xml.js';
import type { CoverageParser } from './parser.js';

const LABEL = 'Clover XML';

/** Clover shares the `<coverage>` root with Cobertura; istanbul marks it with `clover="3.2.0"`, PHPUnit only by the `<project>` child. */
export function isCloverRoot(root: XmlRootSniff): boolean {
  return root.name === 'coverage' && (root.attributes.clover !== undefined || root.firstChild === 'project');
}

export const cloverParser: CoverageParser = {
  format: 'clover',
  label: LABEL,
  sniff(head) {
    const root = sniffXmlRoot(head);
    return root !== undefined && isCloverRoot(root);
  },
  parse: parseClover,
};

export async function parseClover(chunks: AsyncIterable<string>, file: string): Promise<ParsedCoverageReport> {
  const files = new Map<string, LineHitsBuilder>();
  const stack: string[] = [];
  let lines: LineHitsBuilder | undefined;
  let unknownTypes = 0;

  const visitor: XmlVisitor = {
    openTag(name, attributes) {
      const parent = stack[stack.length - 1];
      stack.push(name);
      if (parent === undefined && name !== 'coverage') {
        throw new QgateError('INPUT_MALFORMED', `is not a Clover report: its root element is <${name}>, not <coverage>.`, {
          hint: 'Pass a Clover XML report, or let qgate detect the format instead of forcing it.',
        });
      }
      if (name === 'line') {
        if (lines === undefined || parent !== 'file') return;
        const hits = readLineHits(attributes, file);
        if (hits === 'skip') return;
        if (hits === 'unknown') {
          unknownTypes += 1;
          return;
        }
        const number = readPositiveInteger(attributes.num, file, 'num');
        // OpenClover writes one <line> per statement, so a line with two statements comes twice;
        // the builder keeps it once with its highest count.
        lines.add(number, hits);
        return;
      }
      if (name === 'file') {
        // OpenClover's test sources sit under <testproject>; like istanbul's and PHPUnit's
        // reports, qgate measures the code under test only.
        if (stack[1] !== 'project') return;
        // istanbul writes `name` relative to its root and `path` absolute; PHPUnit puts the
        // absolute path in `name` and has no `path`.
        const path = attributes.path !== undefined && attributes.path !== '' ? attributes.path : attributes.name;
        if (path === undefined || path === '') {
          throw brokenReport(`has a <file> element without a path or name attribute.`);
        }
        lines = files.get(path);
        if (lines === undefined) {
          lines = createLineHitsBuilder();
          files.set(path, lines);
        }
        return;
      }
    },
    closeTag(name) {
      stack.pop();
      if (name === 'file') lines = undefined;
    },
  };

  await readXml(chunks, { file, format: 'clover' }, visitor);

  let duplicates = 0;
  let capped = 0;
  const built = [...files].map(([path, builder]) => {
    const fileLines = builder.build();
    duplicates += builder.added - fileLines.lines.length;
    capped += capHitCounts(fileLines);
    return { path, lines: fileLines };
  });
  const warnings: string[] = [];
  if (capped > 0) warnings.push(cappedHitsWarning(capped, 'count'));
  if (duplicates > 0) {
    warnings.push(`${duplicates} repeated <line> record${duplicates === 1 ? '' : 's'} for the same file and line merged, keeping the highest count.`);
  }
  if (unknownTypes > 0) {
    warnings.push(`${unknownTypes} <line> element${unknownTypes === 1 ? '' : 's'} with a type other than stmt, cond or method ignored.`);
  }
  // No producerTotals: the project <metrics> count statements, not lines (istanbul puts two
  // statements on one line twice in `statements`, once in lcov's LF), so they are no line hint.
  return { format: 'clover', sourceRoots: [], files: built, warnings };
}

/**
 * The hits of a coverable line, or why the element is not one. `stmt` and `cond` lines are the
 * executable lines: istanbul's clover reporter writes exactly the lines of its lcov `DA` records,
 * typed `cond` when a branch starts there. `method` lines (PHPUnit, OpenClover) mark a
 * declaration with its call count, which the line count leaves out as lcov's FN records do.
 */
function readLineHits(attributes: Readonly<Record<string, string>>, file: string): number | 'skip' | 'unknown' {
  const type = attributes.type ?? 'stmt';
  if (type === 'method') return 'skip';
  if (type !== 'stmt' && type !== 'cond') return 'unknown';
  if (attributes.count !== undefined) return readCount(attributes.count, file, 'count');
  if (type === 'cond') {
    // OpenClover gives a condition only its true and false counts; it ran if either did.
    return readCount(attributes.truecount ?? '0', file, 'truecount') + readCount(attributes.falsecount ?? '0', file, 'falsecount');
  }
  throw brokenReport(`has a <line> element without a count attribute.`);
}

function readCount(value: string, file: string, attribute: string): number {
  const count = value.trim() === '' ? Number.NaN : Number(value);
  if (count >= 0 && !isImpossibleHitCount(count)) return count;
  throw badAttribute(file, attribute, value, 'a count of zero or more (at most 2^64)');
}

function readPositiveInteger(value: string | undefined, file: string, attribute: string): number {
  if (value === undefined) throw brokenReport(`has a <line> element without a ${attribute} attribute.`);
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (Number.isInteger(number) && number > 0 && number <= MAX_LINE_NUMBER) return number;
  throw badAttribute(file, attribute, value, 'a positive whole number');
}

function badAttribute(file: string, attribute: string, value: string, expected: string): QgateError {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return brokenReport(`has a <line> element with ${attribute}="${shown}", which is not ${expected}.`);
}

/** A well-formed document that breaks the Clover format itself. */
function brokenReport(message: string): QgateError {
  return new QgateError('INPUT_MALFORMED', message, {
    hint: 'Regenerate the report; if it stays broken, report it to the tool that wrote it (it does not follow the Clover format).',
  });
}

import { readXml } from '../../../src/inputs/xml.js';
import type { Mutant } from '../../../src/model/mutation.js';
import type { ScenarioResult } from '../../../src/model/e2e.js';
import type { GateResult, QgateResult } from '../../../src/model/result.js';
import { emptyResult } from '../result-fixtures.js';
import { chunksOf } from '../../support/streams.js';

export { chunksOf };

/** Every kind of string that breaks naive XML, JSON, Markdown or OpenMetrics writers. */
export const HOSTILE = `<script>alert("x")</script> ]]> 'q' & "dq" \u0000\u0001\u000B\u000C\u001F\uFFFE\uFFFF \uD800 lone \uDC00 #hash \\ back\nnew line\r\n@all`;

export function gate(partial: Partial<GateResult> & Pick<GateResult, 'id' | 'status'>): GateResult {
  return { blocking: true, actual: null, threshold: null, unit: '%', reason: `${partial.id} reason`, formula: 'covered / coverable', ...partial };
}

export function scenario(partial: Partial<ScenarioResult> & Pick<ScenarioResult, 'name' | 'status'>): ScenarioResult {
  return {
    key: `features/a.feature:${partial.line ?? 3}`,
    feature: 'Checkout',
    uri: 'features/a.feature',
    line: 3,
    tags: [],
    attempts: 1,
    flaky: false,
    failedStep: null,
    error: null,
    durationMs: 1500,
    startedAt: null,
    ...partial,
  };
}

export function mutant(partial: Partial<Mutant> & Pick<Mutant, 'file'>): Mutant {
  return {
    id: '1',
    mutatorName: 'EqualityOperator',
    replacement: 'a !== b',
    description: null,
    status: 'Survived',
    location: { start: { line: 10, column: 5 }, end: { line: 10, column: 12 } },
    ...partial,
  };
}

const COUNTS = { total: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, ignored: 0, pending: 0, detected: 0, undetected: 0, valid: 0, score: null };

export function baseResult(overrides: Partial<QgateResult> = {}): QgateResult {
  return emptyResult({
    tool: { name: 'qgate', version: '0.0.0-test' },
    generatedAt: '2026-01-02T03:04:05.000Z',
    verdictReason: 'every gate passed',
    diff: { source: 'git', baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40), changedFiles: 1, addedLines: 10, deletedFiles: 0, warnings: [] },
    ...overrides,
  });
}

export function withCoverage(files: Array<{ path: string; uncovered: number[]; covered?: number[] }>, percent: number | null = 75.5): QgateResult['coverage'] {
  return {
    newCode: {
      covered: 3,
      total: 4,
      percent,
      unmeasuredFiles: [],
      files: files.map((file) => ({
        path: file.path,
        oldPath: null,
        change: 'modified',
        status: 'measured',
        changedLines: [...(file.covered ?? []), ...file.uncovered].sort((a, b) => a - b),
        coveredLines: file.covered ?? [],
        uncoveredLines: file.uncovered,
      })),
    },
    overall: { covered: 80, total: 100, percent: 80, files: 3 },
    unresolvedPaths: [],
  };
}

export function withMutation(surviving: Mutant[], score: number | null = 66.66, newCodeScore: number | null = 50): QgateResult['mutation'] {
  return {
    ...COUNTS,
    score,
    files: [],
    unresolvedFiles: [],
    newCode: { ...COUNTS, score: newCodeScore, surviving, survivingTotal: surviving.length },
  };
}

export function withE2e(failed: ScenarioResult[], flaky: ScenarioResult[] = [], extra: Partial<NonNullable<QgateResult['e2e']>> = {}): QgateResult['e2e'] {
  return {
    scenarios: { total: 10, passed: 10 - failed.length, failed: failed.filter((s) => s.status === 'failed').length, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, flaky: flaky.length },
    failed,
    failedOmitted: 0,
    flakyScenarios: flaky,
    filteredOut: 0,
    tags: null,
    runErrors: [],
    warnings: [],
    ...extra,
  };
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses with qgate's own strict reader (it throws on anything not well-formed) into a small tree. */
export async function parseXmlTree(xml: string, textOf: readonly string[]): Promise<XmlElement> {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  await readXml(chunksOf(xml), { file: 'artifact.xml', format: 'test' }, {
    textOf: new Set(textOf),
    openTag(name, attributes) {
      const element: XmlElement = { name, attributes: { ...attributes }, children: [], text: '' };
      stack[stack.length - 1]?.children.push(element);
      stack.push(element);
    },
    closeTag() {
      stack.pop();
    },
    text(text) {
      const current = stack[stack.length - 1];
      if (current) current.text += text;
    },
  });
  const [document] = root.children;
  if (!document) throw new Error('no root element');
  return document;
}

export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === name) found.push(child);
    found.push(...descendants(child, name));
  }
  return found;
}

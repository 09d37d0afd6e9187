/**
 * Waivers an MR adds, in plain sight: the comments that take code out of coverage (`c8 ignore
 * next`, `# pragma: no cover`, `LCOV_EXCL_LINE`, …) and the markers that skip a test or a
 * scenario (`it.skip(`, `@pytest.mark.skip`, `@Disabled`, a `@skip`/`@wip` tag). Each raises a
 * figure without testing anything, so the comment lists every new one.
 *
 * Matched on the text of an added line only, whatever the language: a marker quoted in a string
 * or a doc is listed too — the list is for a reviewer to read, and it fails nothing unless
 * `maxNewExclusions` is set.
 */

import type { WaiverMatch } from '../model/diff.js';

/** The producers' own spellings (istanbul, c8/v8, node:test, coverage.py, lcov/gcovr, PHPUnit, SimpleCov, Dart, Rust, .NET). */
const EXCLUSION = new RegExp(
  [
    String.raw`\b(?:istanbul|c8|v8)\s+ignore(?:\s+(?:next(?:\s+\d+)?|if|else|file|start|stop))?\b`,
    String.raw`\bnode:coverage\s+(?:ignore(?:\s+next(?:\s+\d+)?)?|disable)\b`,
    String.raw`\bpragma:\s*no\s*(?:cover|branch)\b`,
    String.raw`\b(?:LCOV|GCOVR|GCOV)_EXCL_(?:BR_)?(?:LINE|START|STOP)\b`,
    String.raw`@codeCoverageIgnore(?:Start|End)?\b`,
    String.raw`#\s*:nocov:`,
    String.raw`\bcoverage:ignore-(?:line|start|end|file)\b`,
    String.raw`#\[coverage\(off\)\]`,
    String.raw`\[ExcludeFromCodeCoverage\b`,
  ].join('|'),
);

/** Test frameworks' skips: JS (vitest, jest, mocha), pytest/unittest, JUnit 4/5, Go, RSpec; Cucumber tags on a tag line. */
const SKIP = new RegExp(
  [
    String.raw`\b(?:it|test|describe|suite|context|specify)\.(?:skip|todo)\s*\(`,
    String.raw`\b(?:xit|xdescribe|xtest|xcontext|xspecify)\s*\(`,
    String.raw`@pytest\.mark\.(?:skip|skipif|xfail)\b`,
    String.raw`@unittest\.skip\w*`,
    String.raw`@(?:Disabled|Ignore)\b`,
    String.raw`\bt\.Skip(?:f|Now)?\(`,
  ].join('|'),
);
const TAG_LINE = /^\s*@\S/;
const SKIP_TAG = /@(?:skip|ignore|wip|quarantine|quarantined|pending|manual|broken|flaky)(?![\w-])/i;

/** A cheap pre-check on the hot path: most added lines hold none of these letters runs. */
const MAYBE = /ignore|skip|[cC]over|EXCL|nocov|Disabled|Ignore|todo|x(?:it|describe|test|context|specify)|coverage|@|Skip/;

/** The waiver an added line holds, or null. */
export function findWaiver(text: string): WaiverMatch | null {
  if (!MAYBE.test(text)) return null;
  const exclusion = EXCLUSION.exec(text);
  if (exclusion !== null) return { kind: 'coverage-exclusion', marker: exclusion[0] };
  const skip = SKIP.exec(text);
  if (skip !== null) return { kind: 'skipped-test', marker: skip[0] };
  if (TAG_LINE.test(text)) {
    const tag = SKIP_TAG.exec(text);
    if (tag !== null) return { kind: 'skipped-test', marker: tag[0] };
  }
  return null;
}

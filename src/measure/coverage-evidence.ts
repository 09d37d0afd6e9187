/**
 * `coverage.expect`: whether every shard of the coverage arrived. Parallel jobs each write a
 * partial report; a shard that failed or expired its artifacts would otherwise just make the
 * merged figure smaller — or, for the changed lines it alone ran, make covered code look
 * uncovered or unmeasured. With `expect`, a missing shard is "incomplete evidence", named.
 */
import picomatch from 'picomatch';
import type { CoverageEvidence } from '../model/result.js';

export type ExpectSetting = number | 'parallel' | string[] | null | undefined;

/** `read`: the report paths as named (globs expanded); `parallelTotal`: CI_NODE_TOTAL, or null outside a parallel job. */
export function checkCoverageEvidence(expect: ExpectSetting, read: readonly string[], parallelTotal: number | null): CoverageEvidence | null {
  if (expect === null || expect === undefined) return null;
  const paths = read.map((path) => path.replace(/\\/g, '/').replace(/^\.\//, ''));
  if (Array.isArray(expect)) {
    const missing = expect.filter((glob) => {
      const matches = picomatch(glob.replace(/^\.\//, ''), { dot: true });
      return !paths.some((path) => matches(path));
    });
    return { expected: expect.length, read: paths, missing, source: 'names' };
  }
  const expected = expect === 'parallel' ? (parallelTotal ?? 1) : expect;
  const missing = paths.length < expected ? [`${expected - paths.length} of ${expected} reports`] : [];
  return { expected, read: paths, missing, source: expect === 'parallel' ? 'parallel' : 'count' };
}

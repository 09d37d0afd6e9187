/**
 * `qgate scope`'s three outputs.
 *
 * - `stryker`: StrykerJS `mutate` patterns with a line range, `path:start-end` (the form
 *   https://stryker-mutator.io/docs/stryker-js/configuration/#mutate-string documents and
 *   `MUTATION_RANGE_REGEX` in @stryker-mutator/core parses: `file:startLine[:startCol]-endLine[:endCol]`,
 *   lines from 1, whole lines when the columns are left out), comma-separated on one line so
 *   `stryker run --mutate "$(qgate scope)"` takes it as is. Stryker unions several ranges of one file.
 * - `files`: one changed source path a line, for runners without line ranges (PIT's targetClasses,
 *   mutmut's paths-to-mutate, Infection's --filter).
 * - `json`: everything, including the files left out and why.
 */
import type { ChangeScope } from './changed-ranges.js';

export const SCOPE_FORMATS = ['stryker', 'files', 'json'] as const;
export type ScopeFormat = (typeof SCOPE_FORMATS)[number];

/** The schema version of the `json` output; bumped when a field changes meaning. */
export const SCOPE_SCHEMA_VERSION = 1;

export function strykerMutatePatterns(scope: ChangeScope): string[] {
  return scope.files.flatMap((file) => file.ranges.map((range) => `${file.path}:${range.start}-${range.end}`));
}

/** The text to print, ending with a newline unless it is empty (an empty scope prints nothing). */
export function formatScope(scope: ChangeScope, format: ScopeFormat): string {
  switch (format) {
    case 'stryker': {
      const patterns = strykerMutatePatterns(scope);
      return patterns.length === 0 ? '' : `${patterns.join(',')}\n`;
    }
    case 'files':
      return scope.files.map((file) => `${file.path}\n`).join('');
    case 'json':
      return `${JSON.stringify(
        {
          schemaVersion: SCOPE_SCHEMA_VERSION,
          baseSha: scope.baseSha,
          headSha: scope.headSha,
          files: scope.files,
          skipped: scope.skipped,
          stryker: strykerMutatePatterns(scope),
        },
        null,
        2,
      )}\n`;
  }
}

/**
 * The waivers an MR adds (src/diff/waiver-markers.ts finds them on added lines): counted in
 * full, listed in path and line order up to MAX_LISTED_WAIVERS. Generated files are left out —
 * a code generator's `istanbul ignore` is not the author's choice.
 */
import type { DiffSummary } from '../model/diff.js';
import { MAX_LISTED_WAIVERS, type NewWaiver, type WaiversResult } from '../model/result.js';

export function collectWaivers(diff: DiffSummary, isGenerated: (path: string) => boolean): WaiversResult | null {
  const details = diff.details;
  if (details === undefined) return null;
  let coverageExclusions = 0;
  let skippedTests = 0;
  const listed: NewWaiver[] = [];
  for (const file of diff.files) {
    const waivers = details.get(file.path)?.waivers;
    if (waivers === undefined || waivers.length === 0 || file.binary || isGenerated(file.path)) continue;
    for (const waiver of waivers) {
      if (waiver.kind === 'coverage-exclusion') coverageExclusions += 1;
      else skippedTests += 1;
      if (listed.length < MAX_LISTED_WAIVERS) listed.push({ path: file.path, line: waiver.line, kind: waiver.kind, marker: waiver.marker });
    }
  }
  return { coverageExclusions, skippedTests, listed };
}

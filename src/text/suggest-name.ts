/** Did-you-mean for mistyped names: config keys and values, CLI options, presets, rubric keys. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate a mistyped name most likely meant, if any is close: equal ignoring case,
 * `-`, `_` and spaces (`on_missing` → `onMissing`), or within an edit distance of
 * max(2, a third of the name's length).
 */
export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const squash = (text: string): string => text.toLowerCase().replace(/[-_\s]/g, '');
  const same = candidates.find((candidate) => squash(candidate) === squash(name));
  if (same !== undefined) return same;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

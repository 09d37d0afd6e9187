/**
 * Building and combining `LineHits`: hits per coverable line as two parallel typed arrays,
 * sorted by line. A monorepo report has millions of lines; one Map entry per line cost
 * more in garbage collection than parsing the report did. Typed arrays cost 12 bytes a
 * line, merge in one linear pass and are looked up by binary search.
 */
import type { LineHits } from '../../model/coverage.js';

/** The largest line number LineHits can hold (Uint32Array); parsers reject larger ones as malformed. */
export const MAX_LINE_NUMBER = 0xffff_ffff;

export const EMPTY_LINE_HITS: LineHits = { lines: new Uint32Array(0), hits: new Float64Array(0) };

/** Collects (line, hits) pairs in any order, repeats included, for one file. */
export interface LineHitsBuilder {
  add(line: number, hits: number): void;
  /** Pairs added so far, repeats included. */
  readonly added: number;
  /** Sorted, one entry per line, repeats merged by their maximum hits. */
  build(): LineHits;
  /** What `build()` would count — distinct lines, and those with hits — without making the arrays when the pairs came in order. */
  totals(): { covered: number; total: number };
  /** Empties the builder for the next file, keeping its storage. */
  reset(): void;
}

/**
 * A class, not closures: `add` runs once per coverage record (millions of times) and fixed
 * fields on one hidden class keep it monomorphic; closure-captured state measured 4× slower.
 * Pairs collect in plain arrays (V8's amortised push is cheap) and become exact-size typed
 * arrays once, in `build`: growing typed arrays cost ten ArrayBuffer allocations per file.
 */
class GrowableLineHits implements LineHitsBuilder {
  private lines: number[] = [];
  private hits: number[] = [];
  private sorted = true;
  private last = -1;

  add(line: number, value: number): void {
    if (line <= this.last) this.sorted = false;
    this.last = line;
    this.lines.push(line);
    this.hits.push(value);
  }

  get added(): number {
    return this.lines.length;
  }

  build(): LineHits {
    const { lines, hits } = this;
    const count = lines.length;
    if (this.sorted) return { lines: new Uint32Array(lines), hits: new Float64Array(hits) };
    const order = Array.from({ length: count }, (_, index) => index).sort((a, b) => (lines[a] as number) - (lines[b] as number));
    const outLines: number[] = [];
    const outHits: number[] = [];
    for (const index of order) {
      const line = lines[index] as number;
      const value = hits[index] as number;
      const at = outLines.length - 1;
      if (at >= 0 && outLines[at] === line) {
        if (value > (outHits[at] as number)) outHits[at] = value;
      } else {
        outLines.push(line);
        outHits.push(value);
      }
    }
    return { lines: new Uint32Array(outLines), hits: new Float64Array(outHits) };
  }

  totals(): { covered: number; total: number } {
    if (!this.sorted) {
      const built = this.build();
      return { covered: countCovered(built), total: built.lines.length };
    }
    // In order means strictly increasing (add() marks any line <= the last as unsorted): no repeats.
    let covered = 0;
    for (const value of this.hits) if (value > 0) covered += 1;
    return { covered, total: this.lines.length };
  }

  reset(): void {
    this.lines.length = 0;
    this.hits.length = 0;
    this.sorted = true;
    this.last = -1;
  }
}

export function createLineHitsBuilder(): LineHitsBuilder {
  return new GrowableLineHits();
}

/** Builds LineHits from pairs in any order (tests, small inputs). */
export function lineHitsOf(pairs: Iterable<readonly [number, number]>): LineHits {
  const builder = createLineHitsBuilder();
  for (const [line, count] of pairs) builder.add(line, count);
  return builder.build();
}

/** The union of two files' lines; a line in both gets `combine` of its hits. Linear in both sizes. */
function mergeWith(a: LineHits, b: LineHits, combine: (x: number, y: number) => number): LineHits {
  if (b.lines.length === 0) return a;
  if (a.lines.length === 0) return b;
  const lines = new Uint32Array(a.lines.length + b.lines.length);
  const hits = new Float64Array(lines.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.lines.length && j < b.lines.length) {
    const la = a.lines[i] as number;
    const lb = b.lines[j] as number;
    if (la === lb) {
      lines[k] = la;
      hits[k] = combine(a.hits[i] as number, b.hits[j] as number);
      i += 1;
      j += 1;
    } else if (la < lb) {
      lines[k] = la;
      hits[k] = a.hits[i] as number;
      i += 1;
    } else {
      lines[k] = lb;
      hits[k] = b.hits[j] as number;
      j += 1;
    }
    k += 1;
  }
  for (; i < a.lines.length; i += 1, k += 1) {
    lines[k] = a.lines[i] as number;
    hits[k] = a.hits[i] as number;
  }
  for (; j < b.lines.length; j += 1, k += 1) {
    lines[k] = b.lines[j] as number;
    hits[k] = b.hits[j] as number;
  }
  return { lines: lines.subarray(0, k), hits: hits.subarray(0, k) };
}

/** Two records of one file inside one report: a repeated line keeps its maximum hits. */
export function mergeLineHitsMax(a: LineHits, b: LineHits): LineHits {
  return mergeWith(a, b, Math.max);
}

/** The same file from two reports (parallel shards): hits add up. */
export function mergeLineHitsSum(a: LineHits, b: LineHits): LineHits {
  return mergeWith(a, b, (x, y) => x + y);
}

/** Hits of one line, or undefined when the line is not coverable. */
export function hitsAt(lineHits: LineHits, line: number): number | undefined {
  const { lines } = lineHits;
  let low = 0;
  let high = lines.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = lines[middle] as number;
    if (value === line) return lineHits.hits[middle];
    if (value < line) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

export function countCovered(lineHits: LineHits): number {
  let covered = 0;
  for (const count of lineHits.hits) if (count > 0) covered += 1;
  return covered;
}

/** [line, hits] pairs, for tests and debugging. */
export function lineHitsEntries(lineHits: LineHits): Array<[number, number]> {
  return Array.from(lineHits.lines, (line, index) => [line, lineHits.hits[index] as number]);
}

/**
 * Every producer counts hits in an integer of at most 64 bits; a count beyond 2^64 (`1e23`,
 * `1e308`) is not a count at all and every parser refuses it as malformed input. Counts between
 * 2^53 and 2^64 are real (an unsigned −1 written by a Bun/esbuild-style producer) and are capped
 * to `Number.MAX_SAFE_INTEGER` by the parser, with a warning.
 */
export const MAX_HIT_COUNT = 2 ** 64;

/** True for a hit count no producer could have written (above 2^64, or not finite). */
export function isImpossibleHitCount(value: number): boolean {
  return !Number.isFinite(value) || value > MAX_HIT_COUNT;
}

/**
 * Caps the hit counts past `Number.MAX_SAFE_INTEGER` (a real 2^64 − 1, see `MAX_HIT_COUNT`) to
 * that value, in place, so no inexact number leaves the parser. Returns how many it capped.
 */
export function capHitCounts(lineHits: LineHits): number {
  let capped = 0;
  const { hits } = lineHits;
  for (let index = 0; index < hits.length; index++) {
    if ((hits[index] as number) > Number.MAX_SAFE_INTEGER) {
      hits[index] = Number.MAX_SAFE_INTEGER;
      capped++;
    }
  }
  return capped;
}

/** The parsers' one sentence for capped counts. */
export function cappedHitsWarning(capped: number, what: string): string {
  return `${capped} ${what}${capped === 1 ? '' : 's'} above ${Number.MAX_SAFE_INTEGER} capped to that value.`;
}

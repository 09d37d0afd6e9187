/** Fixture discovery and small helpers shared by the k6 input tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K6Format, K6MetricType, K6ValueKind } from '../../../src/model/performance.js';
import { chunksOf } from '../../support/streams.js';

export { chunksOf };

export const PERF_FIXTURES = fileURLToPath(new URL('../../../fixtures/perf/', import.meta.url));

export interface ExpectedMetric {
  type: K6MetricType;
  contains?: K6ValueKind | null;
  values: Record<string, number>;
  thresholds: { expression: string; ok: boolean | null }[];
}

export interface ExpectedRun {
  format: K6Format;
  loadProfile: { vusMax: number | null; iterations: number | null; durationMs: number | null };
  thresholds: { total: number; failed: number; unevaluated?: number };
  metrics: Record<string, ExpectedMetric>;
  points?: number;
}

export interface GoldenCase {
  name: string;
  data: string;
  expected: ExpectedRun;
}

/** `<folder>/<case>.json` with its `<case>.expected.json`. */
export function goldenCases(folder: string): GoldenCase[] {
  const dir = join(PERF_FIXTURES, folder);
  const names = readdirSync(dir);
  return names
    .filter((name) => name.endsWith('.expected.json'))
    .map((expectedName) => {
      const name = expectedName.slice(0, -'.expected.json'.length);
      if (!names.includes(`${name}.json`)) throw new Error(`no data file for ${expectedName}`);
      return {
        name,
        data: join(dir, `${name}.json`),
        expected: JSON.parse(readFileSync(join(dir, expectedName), 'utf8')) as ExpectedRun,
      };
    });
}

export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (thrown: unknown) => thrown,
  );
}

/** |a − b| ≤ tolerance·|b| (+ a tiny absolute slack for values at 0). */
export function expectRelativelyClose(actual: number | undefined, expected: number, tolerance: number, what: string): void {
  if (actual === undefined) throw new Error(`${what}: missing (expected ${expected})`);
  const bound = tolerance * Math.abs(expected) + 1e-9;
  if (!(Math.abs(actual - expected) <= bound)) {
    throw new Error(`${what}: ${actual} is not within ${tolerance} (relative) of ${expected}`);
  }
}

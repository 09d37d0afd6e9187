import { describe, expect, it } from 'vitest';
import { QuantileSketch } from '../../../src/inputs/perf/quantile-sketch.js';

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** k6's exact percentile: linear interpolation between the sorted samples around rank q·(n−1). */
function exactQuantile(sorted: Float64Array, q: number): { value: number; bound: number } {
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const f = rank - low;
  const lo = sorted[low] as number;
  const hi = sorted[high] as number;
  return { value: lo + (hi - lo) * f, bound: (1 - f) * Math.abs(lo) + f * Math.abs(hi) };
}

const QUANTILES = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

const DISTRIBUTIONS: Record<string, (random: () => number) => number> = {
  'log-normal latencies (ms)': (random) => 80 * Math.exp(0.6 * normal(random)),
  'uniform 0–1000': (random) => random() * 1000,
  'heavy tail (Pareto α=1.1)': (random) => 5 / Math.pow(1 - random(), 1 / 1.1),
  'µs-precision durations with many zeros': (random) => (random() < 0.3 ? 0 : Math.round(random() * 5000) / 1000),
  'constant': () => 42,
  'mixed signs': (random) => normal(random) * 100,
  'bimodal (cache hits and misses)': (random) => (random() < 0.8 ? 2 + random() : 400 + 50 * normal(random)),
};

/** Checks every quantile against the documented bound; returns the worst error ÷ (α's reference magnitude). */
function check(samples: Float64Array, alpha: number, what: string): number {
  const sketch = new QuantileSketch(alpha);
  for (const value of samples) sketch.add(value);
  const sorted = samples.slice().sort();
  let worst = 0;
  for (const q of QUANTILES) {
    const { value, bound } = exactQuantile(sorted, q);
    const estimate = sketch.quantile(q) as number;
    const error = Math.abs(estimate - value);
    const allowed = alpha * bound + 1e-9;
    if (!(error <= allowed)) throw new Error(`${what}: q=${q} estimate ${estimate} vs exact ${value} (allowed error ${allowed})`);
    if (bound > 0) worst = Math.max(worst, error / bound);
  }
  return worst;
}

describe('QuantileSketch: relative error against exact k6 percentiles on generated data', () => {
  for (const [name, generate] of Object.entries(DISTRIBUTIONS)) {
    for (const size of [1, 2, 3, 10, 101, 10_000, 200_000]) {
      it(`${name}, ${size} samples: every quantile within α = 1%`, () => {
        const random = prng(size * 7919 + name.length);
        const samples = Float64Array.from({ length: size }, () => generate(random));
        const worst = check(samples, 0.01, `${name}/${size}`);
        expect(worst).toBeLessThanOrEqual(0.01 + 1e-12);
      });
    }
  }

  it('holds a tighter α too (0.1%)', () => {
    const random = prng(99);
    const samples = Float64Array.from({ length: 50_000 }, () => 80 * Math.exp(0.6 * normal(random)));
    expect(check(samples, 0.001, 'α=0.1%')).toBeLessThanOrEqual(0.001 + 1e-12);
  });

  it('keeps count, sum, min and max exact', () => {
    const sketch = new QuantileSketch();
    for (const value of [3, 1, 4, 1, 5, 9, 2, 6]) sketch.add(value);
    expect([sketch.count, sketch.sum, sketch.min, sketch.max]).toEqual([8, 31, 1, 9]);
    expect(sketch.quantile(0)).toBe(1);
    expect(sketch.quantile(1)).toBe(9);
  });

  it('returns null when empty and the sample itself when alone (as k6 does for one sample)', () => {
    const sketch = new QuantileSketch();
    expect(sketch.quantile(0.95)).toBeNull();
    sketch.add(123.456789);
    expect(sketch.quantile(0.95)).toBe(123.456789);
  });

  it('stays within maxBuckets on a range wider than it can hold, keeping high percentiles accurate', () => {
    const sketch = new QuantileSketch(0.01, 64);
    const values: number[] = [];
    for (let exponent = -6; exponent <= 6; exponent += 0.01) values.push(10 ** exponent);
    for (const value of values) sketch.add(value);
    expect(sketch.collapsed).toBe(true);
    const sorted = Float64Array.from(values).sort();
    for (const q of [0.99, 0.999]) {
      const { value } = exactQuantile(sorted, q);
      expect(Math.abs((sketch.quantile(q) as number) - value)).toBeLessThanOrEqual(0.01 * value);
    }
    // Percentiles in the merged range are over-estimated, never under-estimated.
    const { value: low } = exactQuantile(sorted, 0.1);
    expect(sketch.quantile(0.1) as number).toBeGreaterThanOrEqual(low);
  });

  it('rejects a relative error outside (0, 1)', () => {
    expect(() => new QuantileSketch(0)).toThrow(RangeError);
    expect(() => new QuantileSketch(1)).toThrow(RangeError);
  });
});

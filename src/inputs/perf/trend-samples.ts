/**
 * Exact trend statistics of a k6 stream, computed the way k6 computes them for its end-of-test
 * summary: grafana/k6 `metrics/sink.go`, `TrendSink` (k6 v0.x and v1.x releases) keeps every
 * sample, sorts them, and for a percentile `pct` (0..1) takes rank `i = pct · (count − 1)` and
 * interpolates linearly between the samples at ⌊i⌋ and ⌈i⌉: `v[⌊i⌋] + (v[⌈i⌉] − v[⌊i⌋]) · (i − ⌊i⌋)`.
 * One sample is returned as is; `med` is P(0.5); `avg` is sum ÷ count.
 *
 * Cost: 8 bytes per sample (one Float64Array that doubles as it grows), for every trend metric and
 * sub-metric. The samples of one run are bounded by `EXACT_SAMPLE_BUDGET` in all: past it, a trend
 * continues in a {@link QuantileSketch} (relative error ≤ 1 %), and the run says so in a warning and in
 * `quantileRelativeError`. The budget (16 M samples, 128 MB) holds a 1 GB `--out json` stream of
 * ~4 M lines many times over.
 */
import { QuantileSketch } from './quantile-sketch.js';

/** Samples kept exactly, over all the trends of one stream. */
export const EXACT_SAMPLE_BUDGET = 16 * 1024 * 1024;

/** Shared between the trends of one stream: how many exact samples may still be kept. */
export interface SampleBudget {
  remaining: number;
}

export class TrendSamples {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private values = new Float64Array(64);
  private sorted = true;
  /** Set once the budget ran out: the samples moved here and later ones follow them. */
  sketch: QuantileSketch | null = null;

  constructor(
    private readonly budget: SampleBudget,
    private readonly sketchError: number,
  ) {}

  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.sketch !== null) {
      this.sketch.add(value);
      return;
    }
    if (this.budget.remaining <= 0) {
      this.spill();
      (this.sketch as unknown as QuantileSketch).add(value);
      return;
    }
    this.budget.remaining--;
    const at = this.count - 1;
    if (at === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    if (at > 0 && value < (this.values[at - 1] as number)) this.sorted = false;
    this.values[at] = value;
  }

  /** Moves the kept samples into a sketch and frees them. */
  private spill(): void {
    const sketch = new QuantileSketch(this.sketchError);
    const kept = this.count - 1;
    for (let index = 0; index < kept; index++) sketch.add(this.values[index] as number);
    this.budget.remaining += kept;
    this.values = new Float64Array(0);
    this.sketch = sketch;
  }

  /** True while every sample is kept, so percentiles are exact. */
  get exact(): boolean {
    return this.sketch === null;
  }

  /** k6's `TrendSink.P(pct)`; null without samples. */
  percentile(pct: number): number | null {
    if (this.count === 0) return null;
    if (this.sketch !== null) return this.sketch.quantile(pct);
    const values = this.values;
    if (this.count === 1) return values[0] as number;
    if (!this.sorted) {
      this.values = values.subarray(0, this.count).sort();
      this.sorted = true;
    }
    const sortedValues = this.values;
    const i = pct * (this.count - 1);
    const low = sortedValues[Math.floor(i)] as number;
    const high = sortedValues[Math.ceil(i)] as number;
    return low + (high - low) * (i - Math.floor(i));
  }
}

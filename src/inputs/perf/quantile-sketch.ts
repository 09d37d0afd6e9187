/**
 * A streaming quantile sketch with a relative-error guarantee, after DDSketch
 * (Masson, Rim, Lee: "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with
 * Relative-Error Guarantees", VLDB 2019). It lets qgate compute trend percentiles of a
 * multi-gigabyte `k6 --out json` stream in a few kilobytes per metric.
 *
 * How: with γ = (1 + α) / (1 − α), a positive value x falls in bucket k = ⌈log_γ x⌉, i.e.
 * (γ^(k−1), γ^k]; the bucket stands for 2γ^k / (γ + 1), which is within α·x of every x in it.
 * Negative values go to a mirrored store; |x| < 1e-9 counts as 0.
 *
 * **Error bound.** k6 defines a percentile by linear interpolation between the sorted samples
 * around rank q·(n − 1) (k6 < 0.53 `TrendSink.P`; newer k6 approximates the same with an HDR
 * histogram). This sketch interpolates the same way between the bucket values of those two
 * ranks, so for samples ≥ 0 the estimate p̂ of k6's exact percentile p satisfies
 * **|p̂ − p| ≤ α·p** (default α = 1%), plus 1e-9 absolute for samples below 1e-9. With mixed signs
 * the bound is α·((1 − f)·|x_lo| + f·|x_hi|). Estimates are clamped to the exact min and max,
 * and ranks 0 and n − 1 return them exactly. The bound holds while the values' magnitudes span
 * at most `maxBuckets` buckets — by default ⌈ln(10^18) / ln γ⌉ (2073 at α = 1%), a ratio of 10^18
 * between the smallest and the largest magnitude, far beyond any latency range; beyond that the
 * lowest buckets are merged, and only percentiles that fall in the merged range lose the
 * guarantee (they are over-estimated, never under-estimated). Memory: 8 bytes per bucket, so at
 * most ~16 KB per sign at α = 1%, whatever the number of samples.
 */

/** Values closer to 0 than this are counted as exactly 0. */
const MIN_INDEXABLE = 1e-9;

/** Bucket counts for keys in a sliding window [offset, offset + counts.length). */
class BucketStore {
  counts = new Float64Array(0);
  offset = 0;
  minKey = Number.POSITIVE_INFINITY;
  maxKey = Number.NEGATIVE_INFINITY;
  total = 0;
  /** Buckets merged into the lowest kept one because the range exceeded maxBuckets. */
  collapsed = false;

  constructor(private readonly maxBuckets: number) {}

  add(key: number): void {
    if (key < this.minKey || key > this.maxKey) {
      // Once collapsed, lower keys belong to the merged lowest bucket: no reallocation.
      if (this.collapsed && key < this.minKey) key = this.minKey;
      else this.extend(key);
    }
    const index = Math.max(key, this.offset) - this.offset;
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total++;
  }

  private extend(key: number): void {
    const newMin = Math.min(key, this.minKey);
    const newMax = Math.max(key, this.maxKey);
    if (newMax - newMin + 1 > this.maxBuckets) {
      // Keep the highest maxBuckets keys; everything lower lands in the lowest kept bucket.
      this.collapse(newMax - this.maxBuckets + 1, newMax);
      return;
    }
    if (this.counts.length > 0 && newMin >= this.offset && newMax < this.offset + this.counts.length) {
      this.minKey = newMin;
      this.maxKey = newMax;
      return;
    }
    const span = newMax - newMin + 1;
    const size = Math.min(this.maxBuckets, Math.max(64, span * 2));
    const slack = Math.floor((size - span) / 2);
    const offset = newMin - slack;
    const counts = new Float64Array(size);
    if (this.total > 0) counts.set(this.counts.subarray(this.minKey - this.offset, this.maxKey - this.offset + 1), this.minKey - offset);
    this.counts = counts;
    this.offset = offset;
    this.minKey = newMin;
    this.maxKey = newMax;
  }

  private collapse(lowest: number, newMax: number): void {
    this.collapsed = true;
    const counts = new Float64Array(this.maxBuckets);
    let merged = 0;
    for (let key = this.minKey; key <= this.maxKey; key++) {
      const count = this.counts[key - this.offset] ?? 0;
      if (key <= lowest) merged += count;
      else counts[key - lowest] = count;
    }
    counts[0] = merged;
    this.counts = counts;
    this.offset = lowest;
    this.minKey = lowest;
    this.maxKey = Math.max(newMax, lowest);
  }

  /** The key holding the element of 0-based rank `rank` counting from the lowest key. */
  keyAtRank(rank: number, fromHighest: boolean): number {
    let seen = 0;
    if (fromHighest) {
      for (let key = this.maxKey; key >= this.minKey; key--) {
        seen += this.counts[key - this.offset] ?? 0;
        if (seen > rank) return key;
      }
      return this.minKey;
    }
    for (let key = this.minKey; key <= this.maxKey; key++) {
      seen += this.counts[key - this.offset] ?? 0;
      if (seen > rank) return key;
    }
    return this.maxKey;
  }
}

/** A streaming quantile sketch of one trend; see the file comment for its error bound. */
export class QuantileSketch {
  /** The relative error α this sketch guarantees. */
  readonly relativeError: number;
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private zeroCount = 0;
  private readonly positive: BucketStore;
  private readonly negative: BucketStore;
  private readonly multiplier: number;
  private readonly lnGamma: number;
  private readonly representativeFactor: number;

  /**
   * @param relativeError α, the guaranteed relative error of every quantile (0 < α < 1)
   * @param maxBuckets the most buckets per sign; the default spans magnitudes over 18 decades
   */
  constructor(relativeError = 0.01, maxBuckets?: number) {
    if (!(relativeError > 0 && relativeError < 1)) throw new RangeError('relativeError must be in (0, 1)');
    this.relativeError = relativeError;
    const gamma = (1 + relativeError) / (1 - relativeError);
    this.lnGamma = Math.log(gamma);
    this.multiplier = 1 / this.lnGamma;
    this.representativeFactor = 2 / (gamma + 1);
    const buckets = maxBuckets ?? Math.ceil(Math.log(1e18) * this.multiplier);
    this.positive = new BucketStore(buckets);
    this.negative = new BucketStore(buckets);
  }

  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > MIN_INDEXABLE) this.positive.add(Math.ceil(Math.log(value) * this.multiplier));
    else if (value < -MIN_INDEXABLE) this.negative.add(Math.ceil(Math.log(-value) * this.multiplier));
    else this.zeroCount++;
  }

  /** True when the range outgrew maxBuckets and the lowest buckets were merged (see the bound). */
  get collapsed(): boolean {
    return this.positive.collapsed || this.negative.collapsed;
  }

  private bucketValue(key: number): number {
    return Math.exp(key * this.lnGamma) * this.representativeFactor;
  }

  /** The estimated sample of 0-based rank `rank` in sorted order. */
  private valueAtRank(rank: number): number {
    if (rank <= 0) return this.min;
    if (rank >= this.count - 1) return this.max;
    const negatives = this.negative.total;
    if (rank < negatives) return -this.bucketValue(this.negative.keyAtRank(rank, true));
    if (rank < negatives + this.zeroCount) return 0;
    return this.bucketValue(this.positive.keyAtRank(rank - negatives - this.zeroCount, false));
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1) as k6 defines percentiles: linear interpolation between the
   * samples at ranks ⌊q(n−1)⌋ and ⌈q(n−1)⌉. null when the sketch is empty.
   */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    if (this.count === 1) return this.min;
    const rank = Math.min(Math.max(q, 0), 1) * (this.count - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    const lowValue = this.valueAtRank(low);
    const estimate = high === low ? lowValue : lowValue + (this.valueAtRank(high) - lowValue) * (rank - low);
    return Math.min(Math.max(estimate, this.min), this.max);
  }
}

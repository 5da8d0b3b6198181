/**
 * A quantile from a Prometheus histogram's cumulative buckets, as Prometheus's
 * `histogram_quantile` estimates it: linear interpolation inside the bucket the rank falls in
 * (from 0 for the first bucket); a rank in the `+Inf` bucket answers the largest finite bound.
 */

/** One cumulative bucket: the observations at most `le`. */
export interface Bucket {
  le: number;
  count: number;
}

/** The `q` quantile (0–1) of the buckets, in their unit; undefined when nothing was observed. */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted[sorted.length - 1];
  if (!total || total.le !== Infinity || !(total.count > 0)) return undefined;
  const rank = q * total.count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lowerBound;
      const inBucket = bucket.count - lowerCount;
      if (inBucket <= 0) return bucket.le;
      return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/** Order statistics for the rounds of a run: median and range (the harness reports both). */

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** [min, max] of `values`; [NaN, NaN] when empty. */
export function range(values: readonly number[]): [number, number] {
  if (values.length === 0) return [NaN, NaN];
  return [Math.min(...values), Math.max(...values)];
}

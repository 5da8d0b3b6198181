/**
 * Label sets of the hot path's own metrics (fixed-bucket-histogram.ts, fixed-label-counter.ts),
 * checked and keyed the way prom-client does it, once per label set rather than per observation.
 */

/** The key of one label set: its values in the metric's label order. */
export function labelSetKey<L extends string>(labelNames: readonly L[], labels: Record<L, string>): string {
  return labelNames.map((name) => labels[name]).join('\u0000');
}

/**
 * `labels` copied in the metric's label order (so the exposition does not depend on the
 * caller's), refusing a label the metric does not have with prom-client's message.
 */
export function ownLabels<L extends string>(labelNames: readonly L[], labels: Record<L, string>): Record<string, string> {
  for (const name of Object.keys(labels)) {
    if (!labelNames.includes(name as L)) throw new Error(`Added label "${name}" is not included in initial labelset: ${JSON.stringify(labelNames)}`);
  }
  const own: Record<string, string> = {};
  for (const name of labelNames) if (labels[name] !== undefined) own[name] = String(labels[name]);
  return own;
}

/**
 * ISO 8601 durations as Azure's backend resources write them (`PT1M`, `PT0.5S`, `P1DT2H`):
 * days, hours, minutes and seconds (seconds may have a fraction). Years, months and weeks have
 * no fixed length and are refused, as is a duration with no part at all (`P`, `PT`).
 */

/** The grammar: at least one part, and a `T` only in front of a time part. */
export const isoDurationPattern = /^P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The duration in milliseconds, or undefined when `text` is not such a duration. */
export function parseIsoDuration(text: string): number | undefined {
  const m = isoDurationPattern.exec(text);
  if (!m) return undefined;
  const [, days, hours, minutes, seconds] = m;
  const ms =
    Number(days ?? 0) * 86_400_000 + Number(hours ?? 0) * 3_600_000 + Number(minutes ?? 0) * 60_000 + Number(seconds ?? 0) * 1000;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Reads the Prometheus text exposition format (version 0.0.4) that `GET /metrics` answers into
 * samples. Comments and blank lines are skipped; a line that is not a sample is skipped too, so
 * one odd line never hides the rest of the page's figures.
 */

/** One sample line: a metric name, its labels and its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Every sample of a Prometheus text page, in order. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseSampleLine(line);
    if (sample) samples.push(sample);
  }
  return samples;
}

/** One sample line, or undefined when the line is not one. */
function parseSampleLine(line: string): Sample | undefined {
  const name = metricName.exec(line)?.[0];
  if (!name) return undefined;
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const read = readLabels(rest.slice(1), labels);
    if (read === undefined) return undefined;
    rest = read;
  }
  const fields = rest.trim().split(/\s+/);
  // The value, and at most a timestamp after it.
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') return undefined;
  const value = parseValue(fields[0]!);
  return value === undefined ? undefined : { name, labels, value };
}

/** Reads `name="value",…}` into `labels`; answers what follows the `}`, or undefined when malformed. */
function readLabels(text: string, labels: Record<string, string>): string | undefined {
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('}')) return rest.slice(1);
    const name = labelName.exec(rest)?.[0];
    if (!name) return undefined;
    rest = rest.slice(name.length).trimStart();
    if (!rest.startsWith('="')) return undefined;
    rest = rest.slice(2);
    let value = '';
    let i = 0;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] !== '\\') {
        value += rest[i];
        continue;
      }
      const next = rest[++i];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === '"') value += next;
      else return undefined;
    }
    if (i >= rest.length) return undefined;
    labels[name] = value;
    rest = rest.slice(i + 1).trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (!rest.startsWith('}')) return undefined;
  }
}

/** A sample value: a decimal or exponent float, `+Inf`, `-Inf` or `NaN`. */
function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

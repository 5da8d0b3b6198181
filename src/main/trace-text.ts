/** A listTrace answer as `gatehouse trace` prints it: per section, one line per step, its data indented below. */

export interface ListedTrace {
  serviceName?: string;
  traceId: string;
  traceEntries: Record<string, Array<{ source: string; timestamp: string; elapsed: string; data: unknown }> | undefined>;
}

const sectionOrder = ['inbound', 'backend', 'outbound', 'on-error'];

/** The readable lines of a trace. */
export function formatTrace(trace: ListedTrace): string[] {
  const lines: string[] = [];
  for (const section of sectionOrder) {
    const entries = trace.traceEntries[section];
    if (!entries || entries.length === 0) continue;
    lines.push('', `${section}`);
    for (const entry of entries) {
      lines.push(`  ${entry.elapsed}  ${entry.source}`);
      for (const line of dataLines(entry.data)) lines.push(`      ${line}`);
    }
  }
  return lines;
}

/** A step's data as indented `key: value` lines; header lists as `Name: value`, as on the wire. */
function dataLines(data: unknown, indent = ''): string[] {
  if (data === null || typeof data !== 'object') return [`${indent}${scalar(data)}`];
  if (Array.isArray(data)) {
    if (data.length === 0) return [`${indent}(none)`];
    if (data.every(isHeaderPair)) return data.map((h) => `${indent}${h.name}: ${h.value}`);
    return data.flatMap((item) => (item !== null && typeof item === 'object' ? [`${indent}-`, ...dataLines(item, `${indent}  `)] : [`${indent}- ${scalar(item)}`]));
  }
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length === 0) return [`${indent}(none)`];
  return entries.flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && Object.keys(value).length > 0 ? [`${indent}${key}:`, ...dataLines(value, `${indent}  `)] : [`${indent}${key}: ${scalar(value)}`],
  );
}

function isHeaderPair(item: unknown): item is { name: string; value: string } {
  return item !== null && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' && typeof (item as { value?: unknown }).value === 'string' && Object.keys(item).length === 2;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
}

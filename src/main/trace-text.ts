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

/** A step's data: a message as it is, anything else as indented JSON. */
function dataLines(data: unknown): string[] {
  if (typeof data === 'string') return [data];
  return JSON.stringify(data, null, 2).split('\n');
}

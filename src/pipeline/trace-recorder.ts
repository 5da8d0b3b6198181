/**
 * The recorder behind `gw.requestTrace` (request-trace.ts) for a request made with a valid
 * debug token: keeps each step per section with Azure's `timestamp` (seven fractional digits)
 * and `elapsed` (`00:00:00.0725926`, since the request arrived), masks secrets
 * (trace-masking.ts), and bounds what one request can record.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { TraceDocument, TraceEntry } from '../core/request-traces.js';
import type { Section } from './gateway-context.js';
import type { HeaderMap } from './header-map.js';
import type { RequestTrace } from './request-trace.js';
import { maskTraceData, type TraceMasking } from './trace-masking.js';

/** Most entries one trace keeps; later ones are counted in a last note. */
export const maxTraceEntries = 500;
/** Most bytes of data one trace keeps (JSON); the data of later entries is left out. */
export const maxTraceBytes = 1024 * 1024;

export class TraceRecorder implements RequestTrace {
  readonly traceId = randomUUID();
  private readonly sections: Partial<Record<Section, TraceEntry[]>> = {};
  private readonly startedPerf = performance.now();
  private readonly startedEpoch: number;
  private count = 0;
  private bytes = 0;
  private dropped = 0;

  /** `arrivedAt` is when the request arrived and `now` the time now, both epoch milliseconds on the gateway's clock. */
  constructor(
    readonly gatewayId: string,
    private readonly masking: TraceMasking,
    private readonly arrivedAt: number,
    now: number,
  ) {
    this.startedEpoch = now;
  }

  record(section: Section, source: string, data: Readonly<Record<string, unknown>> | string): void {
    if (this.count >= maxTraceEntries) {
      this.dropped++;
      return;
    }
    const nowEpoch = this.startedEpoch + (performance.now() - this.startedPerf);
    let masked = maskTraceData(data, this.masking);
    const size = Buffer.byteLength(JSON.stringify(masked) ?? '');
    if (this.bytes + size > maxTraceBytes) masked = `Data left out: the trace reached its limit of ${maxTraceBytes} bytes.`;
    else this.bytes += size;
    this.count++;
    (this.sections[section] ??= []).push({ source, timestamp: traceTimestamp(nowEpoch), elapsed: traceElapsed(nowEpoch - this.arrivedAt), data: masked });
  }

  /** The trace as listTrace answers it. */
  document(): TraceDocument {
    const traceEntries: TraceDocument['traceEntries'] = {};
    for (const section of ['inbound', 'backend', 'outbound', 'on-error'] as const) {
      const entries = this.sections[section];
      if (entries) traceEntries[section] = [...entries];
    }
    if (this.dropped > 0) {
      const last = (traceEntries['on-error'] ?? traceEntries.outbound ?? traceEntries.backend ?? traceEntries.inbound)!;
      last.push({ ...last[last.length - 1]!, source: 'gateway', data: `${this.dropped} more steps were not recorded: a trace keeps at most ${maxTraceEntries}.` });
    }
    return { traceId: this.traceId, gatewayId: this.gatewayId, traceEntries };
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An instant as Azure writes it: `2023-05-03T12:03:04.6899436Z`. */
export function traceTimestamp(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const ticks = Math.floor((epochMs - Math.floor(whole / 1000) * 1000) * 10_000);
  return `${new Date(whole).toISOString().slice(0, 19)}.${pad(Math.min(ticks, 9_999_999), 7)}Z`;
}

/** A duration as .NET's TimeSpan prints it: `00:00:00.0725926` (days, if any, as `1.00:00:00.0000000`). */
export function traceElapsed(ms: number): string {
  const ticks = Math.max(0, Math.round(ms * 10_000));
  const fraction = ticks % 10_000_000;
  const seconds = Math.floor(ticks / 10_000_000);
  const days = Math.floor(seconds / 86_400);
  const time = `${pad(Math.floor(seconds / 3600) % 24)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${pad(fraction, 7)}`;
  return days > 0 ? `${days}.${time}` : time;
}

/** Headers as Azure's traces list them: `[{ name, value }]`, one pair per value (masked by the recorder). */
export function traceHeaders(headers: HeaderMap): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [, entry] of headers.keyedEntries()) for (const value of entry.values) out.push({ name: entry.name, value });
  return out;
}

/** Longest text a trace keeps of one value. */
const maxTracedText = 4096;

/** A value as a trace shows it: primitives as they are, anything else as its text, long text cut. */
export function traceValue(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value ?? null;
  const text = typeof value === 'string' ? value : String(value);
  return text.length > maxTracedText ? `${text.slice(0, maxTracedText)}… (${text.length} characters)` : text;
}

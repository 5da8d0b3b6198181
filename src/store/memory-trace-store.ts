/**
 * The request traces of a host, in memory (docs/tracing.md): bounded by count and by bytes
 * (the oldest go first), each kept at most an hour. With gateway worker processes the primary
 * holds the one store and the workers send it their traces, so listTrace finds a trace
 * whichever worker served the request.
 */
import type { TraceDocument, TraceLookup, TraceSink } from '../core/request-traces.js';

export interface TraceStoreLimits {
  maxTraces: number;
  maxBytes: number;
  ttlMs: number;
}

export const defaultTraceStoreLimits: TraceStoreLimits = { maxTraces: 1000, maxBytes: 32 * 1024 * 1024, ttlMs: 3_600_000 };

interface Kept {
  trace: TraceDocument;
  bytes: number;
  keptAt: number;
}

/** Most callers that may wait at once for traces not yet arrived; more are answered at once. */
const maxWaiters = 100;

export class MemoryTraceStore implements TraceSink, TraceLookup {
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly traces = new Map<string, Kept>();
  private bytes = 0;
  private readonly waiters = new Map<string, Set<() => void>>();
  private waiting = 0;

  constructor(
    private readonly limits: TraceStoreLimits = defaultTraceStoreLimits,
    private readonly now: () => number = Date.now,
  ) {}

  keep(trace: TraceDocument): void {
    const bytes = Buffer.byteLength(JSON.stringify(trace));
    if (bytes > this.limits.maxBytes) return;
    const key = keyOf(trace.gatewayId, trace.traceId);
    this.drop(key);
    this.traces.set(key, { trace, bytes, keptAt: this.now() });
    this.bytes += bytes;
    this.evict();
    const waiting = this.waiters.get(key);
    if (waiting) for (const wake of waiting) wake();
  }

  async find(gatewayId: string, traceId: string, waitMs: number): Promise<TraceDocument | undefined> {
    const key = keyOf(gatewayId, traceId);
    const found = this.current(key);
    if (found || waitMs <= 0 || this.waiting >= maxWaiters) return found;
    await new Promise<void>((resolve) => {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0) this.waiters.delete(key);
        this.waiting--;
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      set.add(done);
      this.waiting++;
    });
    return this.current(key);
  }

  /** How many traces are kept, and their bytes. */
  get size(): { traces: number; bytes: number } {
    return { traces: this.traces.size, bytes: this.bytes };
  }

  private current(key: string): TraceDocument | undefined {
    this.evict();
    return this.traces.get(key)?.trace;
  }

  private drop(key: string): void {
    const old = this.traces.get(key);
    if (!old) return;
    this.traces.delete(key);
    this.bytes -= old.bytes;
  }

  private evict(): void {
    const oldestAllowed = this.now() - this.limits.ttlMs;
    for (const [key, kept] of this.traces) {
      const over = this.traces.size > this.limits.maxTraces || this.bytes > this.limits.maxBytes;
      if (!over && kept.keptAt >= oldestAllowed) break;
      this.drop(key);
    }
  }
}

function keyOf(gatewayId: string, traceId: string): string {
  return `${gatewayId.toLowerCase()}\u0000${traceId}`;
}

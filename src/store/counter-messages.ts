/**
 * The messages a gateway worker and the primary process exchange to share counters within a
 * host (`gatehouse start --workers N`): CounterStore calls, batched per event-loop turn, and
 * their replies.
 * They travel over the cluster IPC channel with the "advanced" (structured clone) serialization,
 * so `Infinity` limits and periods survive the trip.
 */
import type { CounterStore } from '../core/ports.js';

/** The CounterStore operations that can be forwarded. */
export type CounterOperation = 'rateLimit' | 'peekRateLimit' | 'releaseRateLimit' | 'quota' | 'addToQuota';

/** One forwarded CounterStore call. */
export interface CounterCall {
  id: number;
  op: CounterOperation;
  args: Array<string | number>;
}

/** The answer to one call: its result, or the store's failure message. */
export interface CounterReply {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * Worker → primary: the calls a worker made during one turn of its event loop, in order. One
 * message per turn, not per call: under load many requests share the IPC round trip.
 */
export interface CounterRequestMessage {
  gatehouse: 'counters';
  calls: CounterCall[];
}

/** Primary → worker: the replies to one request message, in the same order. */
export interface CounterReplyMessage {
  gatehouse: 'counter-replies';
  replies: CounterReply[];
}

/** True for a counter request from a worker. */
export function isCounterRequest(message: unknown): message is CounterRequestMessage {
  const m = message as Partial<CounterRequestMessage> | null;
  return typeof m === 'object' && m !== null && m.gatehouse === 'counters' && Array.isArray(m.calls);
}

/** True for counter replies from the primary. */
export function isCounterReply(message: unknown): message is CounterReplyMessage {
  const m = message as Partial<CounterReplyMessage> | null;
  return typeof m === 'object' && m !== null && m.gatehouse === 'counter-replies' && Array.isArray(m.replies);
}

/** Runs a worker's calls in order against the store that holds the counters; never rejects. */
export async function answerCounterRequest(store: CounterStore, request: CounterRequestMessage): Promise<CounterReplyMessage> {
  const replies: CounterReply[] = [];
  for (const call of request.calls) replies.push(await answerCounterCall(store, call));
  return { gatehouse: 'counter-replies', replies };
}

/** Runs one forwarded call; a failure becomes the reply's error. */
async function answerCounterCall(store: CounterStore, call: CounterCall): Promise<CounterReply> {
  const a = call.args;
  try {
    let result: unknown;
    switch (call.op) {
      case 'rateLimit':
        result = await store.rateLimit(a[0] as string, a[1] as number, a[2] as number, a[3] as number, a[4] as number);
        break;
      case 'peekRateLimit':
        result = await store.peekRateLimit(a[0] as string, a[1] as number, a[2] as number, a[3] as number);
        break;
      case 'releaseRateLimit':
        result = await store.releaseRateLimit(a[0] as string, a[1] as number, a[2] as number);
        break;
      case 'quota':
        result = await store.quota(a[0] as string, a[1] as number, a[2] as number, a[3] as number, a[4] as number, a[5] as number);
        break;
      case 'addToQuota':
        result = await store.addToQuota(a[0] as string, a[1] as number, a[2] as number, a[3] as number);
        break;
      default:
        throw new Error(`unknown counter operation '${String(call.op)}'`);
    }
    return { id: call.id, result };
  } catch (err) {
    return { id: call.id, error: err instanceof Error ? err.message : String(err) };
  }
}

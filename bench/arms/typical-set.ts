/**
 * The "typical set" every policy-capable arm is configured to do (issue 6), in one place so the
 * arms stay comparable: a subscription key checked on every call, a per-subscription rate limit
 * whose limit is never reached, one request header set inbound, one response header set
 * outbound, and a path rewrite (`/typical/items/<n>` → backend `/size/<n>`).
 */
import type { ResponseSize } from '../harness/types.js';

/** The key the load generators send. */
export const TYPICAL_KEY = 'bench0typical0subscription0key01';
/** Calls per renewal period: far above anything a run reaches, so it never triggers. */
export const TYPICAL_RATE_LIMIT_CALLS = 1_000_000_000;
export const TYPICAL_RATE_LIMIT_PERIOD_S = 60;
/** Header set on the request to the backend (the backend reports seeing it). */
export const INBOUND_HEADER = { name: 'x-bench-inbound', value: 'typical' };
/** Header set on the response to the client. */
export const OUTBOUND_HEADER = { name: 'x-bench-outbound', value: 'typical' };

/** The client-side path of a size under the typical set (rewritten to `/size/<n>`). */
export function typicalPath(size: ResponseSize): string {
  return `/typical/items/${size.bytes}`;
}

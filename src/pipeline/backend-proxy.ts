/**
 * The HTTP proxy the `proxy` policy chose for this request's backend call: forward-request
 * sends through it instead of the Backend entity's `proxy` (backend-forwarder.ts).
 */
import type { OutboundProxy } from './gateway-context.js';
import { RequestSlot } from './request-slot.js';

export const backendProxySlot = new RequestSlot<OutboundProxy>('backend-proxy');

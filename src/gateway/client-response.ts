/**
 * The client's response object, kept beside the request's GatewayContext (request-slot.ts) so
 * the forwarder can tell when the client has gone away and stop the backend call it made for it.
 */
import type { ServerResponse } from 'node:http';
import { RequestSlot } from '../pipeline/request-slot.js';

export const clientResponse = new RequestSlot<ServerResponse>('client response');

/** True once the client's connection closed before its response was complete. */
export function clientGone(res: ServerResponse): boolean {
  return !res.writableFinished && (res.destroyed || res.socket === null || res.socket.destroyed);
}

/**
 * The raw client connection of a WebSocket upgrade, kept beside the response object the gateway
 * answers it with, so the forwarder can hand the connection to the backend once the backend
 * switches protocols, and the request handler knows not to write an HTTP answer after that.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** The client's socket and the bytes it sent after the handshake (Node's `head`). */
export interface ClientTunnel {
  socket: Duplex;
  head: Buffer;
  /** Set once the backend answered 101 and the two connections are piped. */
  switched: boolean;
}

// Kept on the response itself, not in a WeakMap keyed by it: WeakMap entries keep a request's
// objects alive through young-generation collections (src/pipeline/request-slot.ts).
const tunnelKey = Symbol('client tunnel');

type TunnelCarrier = ServerResponse & { [tunnelKey]?: ClientTunnel };

/** Records that `res` answers a WebSocket upgrade on `socket`. */
export function attachTunnel(res: ServerResponse, socket: Duplex, head: Buffer): ClientTunnel {
  const tunnel = { socket, head, switched: false };
  (res as TunnelCarrier)[tunnelKey] = tunnel;
  return tunnel;
}

/** The tunnel of a WebSocket upgrade's response, or undefined for an ordinary request. */
export function tunnelOf(res: ServerResponse | undefined): ClientTunnel | undefined {
  return (res as TunnelCarrier | undefined)?.[tunnelKey];
}

/** True once the connection of `res` was handed to a backend: nothing more may be written as HTTP. */
export function protocolSwitched(res: ServerResponse): boolean {
  return tunnelOf(res)?.switched === true;
}

/**
 * True for a request asking to become a WebSocket (RFC 6455 §4.1: `Upgrade: websocket`, a token
 * list compared case-insensitively); other upgrades (h2c) are served as plain HTTP.
 */
export function asksForWebSocket(upgrade: string | undefined): boolean {
  if (!upgrade) return false;
  return upgrade.split(',').some((token) => token.trim().toLowerCase() === 'websocket');
}

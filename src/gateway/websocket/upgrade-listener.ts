/**
 * The `upgrade` listener of every gateway server (public, private endpoint and VNet listeners,
 * HTTP and HTTPS). Node hands every request that carries `Upgrade` here instead of to the
 * request handler, so the listener gives the request an HTTP response on its raw socket and
 * passes it to the same request handler: the public-access switch, routing, the subscription
 * key, the policies and Azure's error answers all apply to a WebSocket handshake exactly as to
 * any call. A WebSocket upgrade is marked (client-tunnel.ts) so the forwarder opens the upgrade
 * to the backend instead of a plain call; any other upgrade (h2c) is served as plain HTTP/1.1,
 * the Upgrade header ignored as RFC 9110 §7.8 allows, and the connection closed after it.
 */
import type { EventEmitter } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { writeGatewayError } from '../response-writer.js';
import { attachTunnel, asksForWebSocket } from './client-tunnel.js';

/** What the request handler looks like to this listener. */
export type UpgradeRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Node's `upgrade` event listener. */
export type UpgradeListener = (this: EventEmitter, req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The connections each server handed to this listener that are still open. */
const upgradedBy = new WeakMap<EventEmitter, Set<Duplex>>();

/**
 * Ends the upgraded connections of `server`. Node's closeAllConnections knows only HTTP
 * connections, and server.close waits for every socket: a listener being closed (shutdown, a
 * private endpoint connection removed) would otherwise keep its WebSocket sessions, and its close
 * would wait for them.
 */
export function destroyUpgradedConnections(server: EventEmitter): void {
  for (const socket of upgradedBy.get(server) ?? []) socket.destroy();
}

/** Creates the listener that feeds upgrade requests to `handler`. */
export function createUpgradeListener(handler: UpgradeRequestHandler): UpgradeListener {
  return function onUpgrade(this: EventEmitter, req, socket, head) {
    // A reset by the client must not become an unhandled 'error' on a socket Node let go of.
    socket.on('error', () => socket.destroy());
    let open = upgradedBy.get(this);
    if (!open) upgradedBy.set(this, (open = new Set()));
    const tracked = open;
    tracked.add(socket);
    socket.once('close', () => tracked.delete(socket));
    const res = new ServerResponse(req);
    // One request per upgraded connection: whatever is answered in HTTP ends it.
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.once('finish', () => socket.end());
    if (asksForWebSocket(req.headers.upgrade)) {
      attachTunnel(res, socket, head);
      handler(req, res);
      return;
    }
    if (req.headers['transfer-encoding'] !== undefined) {
      // A chunked body of an h2c upgrade cannot be framed without Node's parser, which has left.
      writeGatewayError(res, 400, 'Bad request: a chunked request body with an Upgrade header is not supported.');
      return;
    }
    handler(withBody(req, socket as Socket, head), res);
  };
}

/**
 * Node ends an upgrade request's stream at its head: a copy of the request whose stream carries
 * the Content-Length framed body, read from `head` and then from the socket.
 */
function withBody(req: IncomingMessage, socket: Socket, head: Buffer): IncomingMessage {
  const carrier = new IncomingMessage(socket);
  carrier.method = req.method;
  carrier.url = req.url;
  carrier.httpVersion = req.httpVersion;
  carrier.headers = req.headers;
  carrier.rawHeaders = req.rawHeaders;
  let remaining = Number(req.headers['content-length'] ?? '0');
  if (!Number.isSafeInteger(remaining) || remaining <= 0) {
    carrier.push(null);
    return carrier;
  }
  const take = (chunk: Buffer): void => {
    const part = chunk.subarray(0, remaining);
    remaining -= part.length;
    carrier.push(part);
    if (remaining > 0) return;
    socket.off('data', take);
    carrier.push(null);
  };
  if (head.length > 0) take(head);
  if (remaining > 0) {
    socket.on('data', take);
    socket.once('end', () => remaining > 0 && carrier.destroy(new Error('The client closed the connection before the request body was complete.')));
  }
  return carrier;
}

/**
 * The door of one listener (reference §6, DESIGN.md "The network is configuration"): a
 * connection from a source outside the listener's admitted networks is reset at once, before
 * any HTTP byte, and every admitted one is tagged with the endpoint it arrived through so the
 * request handler, the access log and the metrics can tell public, VNet and private traffic apart.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { AddressRanges } from '../core/address-ranges.js';
import type { Logger } from '../core/logger.js';
import { arrivalEndpointLabel, tagArrivalEndpoint, type ArrivalEndpoint } from '../gateway/arrival-endpoint.js';

/** What a listener admits and how it tags; the listener set updates it in place on apply. */
export interface GateState {
  endpoint: ArrivalEndpoint;
  /** Admitted source networks; null admits every source. */
  allowedSources: AddressRanges | null;
}

/** Installs the gate on a server before its HTTP(S) handling sees any connection. */
export function installArrivalGate(server: Server, scheme: 'http' | 'https', state: GateState, logger: Logger): void {
  server.prependListener('connection', (socket: Socket) => {
    const source = socket.remoteAddress;
    if (state.allowedSources && (source === undefined || !state.allowedSources.contains(source))) {
      logger.debug(
        { source: source ?? null, listener: `${socket.localAddress ?? ''}:${socket.localPort ?? ''}`, endpoint: arrivalEndpointLabel(state.endpoint) },
        'connection refused: the source is outside the networks this listener admits',
      );
      socket.resetAndDestroy();
      return;
    }
    if (scheme === 'http') tagArrivalEndpoint(socket, state.endpoint);
  });
  // Requests on HTTPS read the TLS socket, which exists only once the handshake is done.
  if (scheme === 'https') server.prependListener('secureConnection', (socket: TLSSocket) => tagArrivalEndpoint(socket, state.endpoint));
}

/**
 * Which endpoint a connection came in through (reference §6): the public endpoint, VNet
 * injection's subnet address, or a private endpoint connection. The listener tags each socket
 * when it accepts it; the request handler, the access log and the metrics read the tag.
 */
import type { Socket } from 'node:net';
import type { PrivateEndpointInfo } from '../pipeline/gateway-context.js';

export type ArrivalEndpoint =
  | { kind: 'public' }
  | { kind: 'vnet' }
  | { kind: 'private'; connection: PrivateEndpointInfo; privateIpAddress: string };

const publicEndpoint: ArrivalEndpoint = { kind: 'public' };
const endpointTag = Symbol('gatehouse.arrivalEndpoint');

type TaggedSocket = Socket & { [endpointTag]?: ArrivalEndpoint };

/** Records the endpoint on an accepted socket. */
export function tagArrivalEndpoint(socket: Socket, endpoint: ArrivalEndpoint): void {
  (socket as TaggedSocket)[endpointTag] = endpoint;
}

/** The endpoint a socket was accepted on; untagged sockets (tests, plain servers) are public. */
export function arrivalEndpointOf(socket: Socket): ArrivalEndpoint {
  return (socket as TaggedSocket)[endpointTag] ?? publicEndpoint;
}

// A private endpoint's label, made once per tag rather than per request (again if the connection was renamed).
const privateLabels = new WeakMap<ArrivalEndpoint, { name: string; label: string }>();

/** The label logs and metrics use: `public`, `vnet` or `private:<connection name>`. */
export function arrivalEndpointLabel(endpoint: ArrivalEndpoint): string {
  if (endpoint.kind !== 'private') return endpoint.kind;
  const { name } = endpoint.connection;
  const known = privateLabels.get(endpoint);
  if (known?.name === name) return known.label;
  const label = `private:${name}`;
  privateLabels.set(endpoint, { name, label });
  return label;
}

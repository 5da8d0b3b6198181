/**
 * Forwarding a WebSocket handshake (Azure's WebSocket pass-through): when the request being
 * forwarded is an upgrade (client-tunnel.ts), the handshake, as the inbound policies left it, is
 * sent to the backend (`ws://` over HTTP, `wss://` over TLS, a Backend entity's breaker checked
 * and counted as for any call). A backend that answers 101 gets the client's connection: its
 * 101 head goes to the client as it came, then bytes are piped both ways untouched, so frames,
 * extensions and the close handshake are the two ends' own. Either side closing or failing
 * closes the other. A backend that answers anything else has its answer relayed as an ordinary
 * response; one that cannot be reached gives Azure's BackendConnectionFailure. Other requests go
 * to the inner forwarder.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ForwardOptions, type Forwarder, type GatewayContext } from '../../pipeline/gateway-context.js';
import { HeaderMap } from '../../pipeline/header-map.js';
import { MessageBody } from '../../pipeline/message-body.js';
import { backendCallTarget, backendHeaderList, mapForwardError } from '../backend-forwarder.js';
import { clientResponse } from '../client-response.js';
import { isHopByHop } from '../hop-by-hop.js';
import { tunnelOf, type ClientTunnel } from './client-tunnel.js';

/** Wraps `inner` so WebSocket handshakes are proxied as upgrades. */
export class WebSocketForwarder implements Forwarder {
  constructor(private readonly inner: Forwarder) {}

  async forward(gw: GatewayContext, options: ForwardOptions): Promise<void> {
    const tunnel = tunnelOf(gw.slot(clientResponse));
    if (!tunnel) return this.inner.forward(gw, options);
    const { target, circuit } = backendCallTarget(gw);
    const url = gw.request.url;
    const secure = url.scheme === 'wss' || url.scheme === 'https';
    const headers = backendHeaderList(gw.request.headers, gw.clientHostHeader, gw.request.peerAddress ?? gw.request.ipAddress, undefined);
    // The two hop-by-hop headers a handshake is made of, which the list above leaves out.
    headers.push('Connection', 'Upgrade', 'Upgrade', 'websocket');
    const timeoutMs = Math.max(1, options.timeoutSeconds * 1000);
    const make = secure ? httpsRequest : httpRequest;
    const outgoing = make({
      host: url.host,
      port: url.port,
      path: target + url.queryString,
      method: gw.request.method,
      headers,
      agent: false,
      timeout: timeoutMs,
      ...(secure && isIP(url.host) === 0 ? { servername: url.host } : {}),
    });
    let answer: Answer;
    try {
      answer = await handshake(outgoing, tunnel.socket);
    } catch (err) {
      const mapped = mapForwardError(err);
      if (circuit && (mapped.reason === 'BackendConnectionFailure' || mapped.reason === 'Timeout')) circuit.failed(gw.services.clock.now());
      throw mapped;
    }
    gw.forwarded = true;
    const now = gw.services.clock.now();
    circuit?.answered(answer.response.statusCode ?? 502, answer.response.headers['retry-after'] as string | undefined, now);
    if (answer.upgraded) {
      splice(tunnel, answer.upgraded.socket, answer.upgraded.head, answer.response);
      gw.response = { statusCode: 101, statusReason: '', headers: HeaderMap.fromRaw(answer.response.rawHeaders), body: MessageBody.empty() };
      // The connection is no longer HTTP: outbound has no response to work on.
      gw.responded = true;
      return;
    }
    const relayed = new HeaderMap();
    const raw = answer.response.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) if (!isHopByHop(raw[i]!)) relayed.append(raw[i]!, raw[i + 1]!);
    gw.response = { statusCode: answer.response.statusCode ?? 502, statusReason: '', headers: relayed, body: new MessageBody(answer.response) };
  }
}

interface Answer {
  response: IncomingMessage;
  upgraded?: { socket: Duplex; head: Buffer };
}

/** Sends the handshake; resolves with the backend's 101 (and its socket) or its other answer. */
function handshake(outgoing: ClientRequest, client: Duplex): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A client that hangs up while the backend is being reached takes the attempt with it.
    const onClientClose = (): void => void outgoing.destroy(new ClientHungUp());
    client.once('close', onClientClose);
    const settle = (): void => void client.off('close', onClientClose);
    outgoing.once('upgrade', (response: IncomingMessage, socket: Duplex, head: Buffer) => {
      settle();
      resolve({ response, upgraded: { socket, head } });
    });
    outgoing.once('response', (response: IncomingMessage) => {
      settle();
      resolve({ response });
    });
    outgoing.once('timeout', () => outgoing.destroy(new HandshakeTimeout()));
    outgoing.once('error', (err) => {
      settle();
      // Tagged with undici's code so the shared mapping answers Azure's Timeout, as for any call.
      reject(err instanceof HandshakeTimeout ? Object.assign(err, { code: 'UND_ERR_HEADERS_TIMEOUT' }) : err);
    });
    outgoing.end();
  });
}

/** Sends the backend's 101 head to the client and pipes the two connections until either ends. */
function splice(tunnel: ClientTunnel, backend: Duplex, backendHead: Buffer, response: IncomingMessage): void {
  tunnel.switched = true;
  const client = tunnel.socket;
  let head = `HTTP/1.1 101 ${response.statusMessage || 'Switching Protocols'}\r\n`;
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  client.write(head + '\r\n');
  if (backendHead.length > 0) client.write(backendHead);
  if (tunnel.head.length > 0) backend.write(tunnel.head);
  const closeBoth = (): void => {
    client.destroy();
    backend.destroy();
  };
  client.on('error', closeBoth);
  backend.on('error', closeBoth);
  client.once('close', closeBoth);
  backend.once('close', closeBoth);
  client.pipe(backend);
  backend.pipe(client);
}

/** The client went away during the handshake (mapped to ClientConnectionFailure's message). */
class ClientHungUp extends Error {
  constructor() {
    super('The client closed the connection before the response was complete.');
  }
}

/** No answer to the handshake within the forward-request timeout. */
class HandshakeTimeout extends Error {
  constructor() {
    super('Request to the backend service timed out.');
  }
}


/**
 * Forwarding a WebSocket handshake (Azure's WebSocket pass-through): when the request being
 * forwarded is an upgrade (client-tunnel.ts), the handshake, as the inbound policies left it, is
 * sent to the backend (`ws://` over HTTP, `wss://` over TLS, a Backend entity's breaker checked
 * and counted as for any call, and its `tls`, client certificates and `proxy` applied as for
 * any call: the connection is opened by backend-transports.ts). A backend that answers 101 gets the client's connection: its
 * 101 head goes to the client as it came, then bytes are piped both ways untouched, so frames,
 * extensions and the close handshake are the two ends' own. Either side closing or failing
 * closes the other. A backend that answers anything else has its answer relayed as an ordinary
 * response, its headers filtered as for any call (backend-exchange.ts); one that cannot be reached gives Azure's BackendConnectionFailure. Other requests go
 * to the inner forwarder.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ForwardOptions, type Forwarder, type GatewayContext } from '../../pipeline/gateway-context.js';
import { HeaderMap } from '../../pipeline/header-map.js';
import { MessageBody } from '../../pipeline/message-body.js';
import { forwardedHeaders } from '../backend-exchange.js';
import { backendCallTarget, backendHeaderList, failedBackendCall } from '../backend-forwarder.js';
import { transportSettings, type BackendTransports } from '../backend-transports.js';
import { recordBackendCall } from '../backend-timing.js';
import { clientResponse } from '../client-response.js';
import { tunnelOf, type ClientTunnel } from './client-tunnel.js';

/** Wraps `inner` so WebSocket handshakes are proxied as upgrades, on connections `transports` opens. */
export class WebSocketForwarder implements Forwarder {
  constructor(
    private readonly inner: Forwarder,
    private readonly transports: BackendTransports,
    /** Records each handshake's duration and status for `backendTimingOf`, as the inner forwarder does its calls. */
    private readonly timeCalls = false,
  ) {}

  /** Not async: an ordinary request gets the inner forwarder's promise itself, with no frame of this one. */
  forward(gw: GatewayContext, options: ForwardOptions): Promise<void> {
    const tunnel = tunnelOf(gw.slot(clientResponse));
    if (!tunnel) return this.inner.forward(gw, options);
    return this.forwardHandshake(gw, options, tunnel);
  }

  private async forwardHandshake(gw: GatewayContext, options: ForwardOptions, tunnel: ClientTunnel): Promise<void> {
    const started = this.timeCalls ? performance.now() : 0;
    try {
      const { target, circuit } = backendCallTarget(gw);
      const url = gw.request.url;
      const secure = url.scheme === 'wss' || url.scheme === 'https';
      const headers = backendHeaderList(gw.request.headers, gw.clientHostHeader, gw.request.peerAddress ?? gw.request.ipAddress, undefined);
      // The two hop-by-hop headers a handshake is made of, which the list above leaves out.
      headers.push('Connection', 'Upgrade', 'Upgrade', 'websocket');
      const timeoutMs = Math.max(1, options.timeoutMs);
      // The Backend's tls, client certificates and proxy, as for any call (HTTP/1.1: upgrades are HTTP/1.1 only).
      const settings = transportSettings(gw.backend, '1');
      const connection = { hostname: url.host, port: String(url.port || (secure ? '443' : '80')), secure };
      // Without an agent, Node takes the connection from here (the TLS is already on it for wss).
      // Node also accepts the callback form, which its type declarations leave out.
      const createConnection = ((_options: unknown, created: (err: Error | null, socket?: Duplex) => void): undefined => {
        this.transports.connect(settings, connection).then(
          (socket) => created(null, socket),
          (err: Error) => created(err),
        );
        return undefined;
      }) as unknown as RequestOptions['createConnection'];
      const outgoing = httpRequest({ host: url.host, port: connection.port, path: target + url.queryString, method: gw.request.method, headers, createConnection });
      let answer: Answer;
      try {
        answer = await handshake(outgoing, tunnel.socket, timeoutMs);
      } catch (err) {
        throw failedBackendCall(err, circuit, gw.services.clock.now());
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
      gw.response = { statusCode: answer.response.statusCode ?? 502, statusReason: '', headers: forwardedHeaders(answer.response.rawHeaders), body: new MessageBody(answer.response) };
    } finally {
      if (this.timeCalls) recordBackendCall(gw, started);
    }
  }
}

interface Answer {
  response: IncomingMessage;
  upgraded?: { socket: Duplex; head: Buffer };
}

/** Sends the handshake; resolves with the backend's 101 (and its socket) or its other answer within `timeoutMs`. */
function handshake(outgoing: ClientRequest, client: Duplex, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      client.off('close', onClientClose);
      return true;
    };
    // Given up at once: a request still waiting for its connection reports nothing until it has one.
    const giveUp = (err: Error): void => {
      if (settle()) reject(err);
      outgoing.destroy(err);
    };
    // A client that hangs up while the backend is being reached takes the attempt with it.
    const onClientClose = (): void => giveUp(new ClientHungUp());
    client.once('close', onClientClose);
    // From the start, not from the socket: connecting (a proxy's tunnel, TLS) counts as well.
    // Tagged with undici's code so the shared mapping answers Azure's Timeout, as for any call.
    const timer = setTimeout(() => giveUp(Object.assign(new HandshakeTimeout(), { code: 'UND_ERR_HEADERS_TIMEOUT' })), timeoutMs);
    outgoing.once('upgrade', (response: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (settle()) resolve({ response, upgraded: { socket, head } });
      else socket.destroy();
    });
    outgoing.once('response', (response: IncomingMessage) => {
      if (settle()) resolve({ response });
      else response.destroy();
    });
    // Kept after a give-up: the request reports its end only once its connection arrives, and
    // an unheard 'error' would end the process.
    outgoing.once('error', (err) => {
      if (settle()) reject(err);
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


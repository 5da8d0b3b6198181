/**
 * The connections a backend call travels on, per Azure's Backend settings: `tls`
 * (validateCertificateChain, validateCertificateName, both true unless set false), the client
 * certificates of `credentials.certificateIds`/`certificate`, `proxy` (an HTTP proxy, tunnelled
 * with CONNECT for https backends), and forward-request `http-version` (HTTP/2 negotiated with
 * ALPN). One undici Agent per distinct set of those settings, made on first use and kept, so
 * backends that share settings share a keep-alive pool per origin. WebSocket upgrades, which
 * leave HTTP, take single connections opened the same way (`connect`).
 */
import { checkServerIdentity, TLSSocket } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import { Agent, buildConnector, Client, type Dispatcher } from 'undici';
import type { Backend, BackendProxy, ClientCertificate } from '../model/resources.js';
import { certificateMaterial } from '../core/certificate-data.js';

/** forward-request `http-version`: HTTP/1.1 only, HTTP/2 preferred, or HTTP/2 required. */
export type HttpVersion = '1' | '2or1' | '2';

/** What decides how a backend call connects. */
export interface TransportSettings {
  validateChain: boolean;
  validateName: boolean;
  clientCertificates: readonly ClientCertificate[];
  proxy?: BackendProxy;
  httpVersion: HttpVersion;
}

/** The pool sizes every Agent shares. */
export interface TransportPoolOptions {
  connections: number;
  keepAliveTimeout: number;
}

/** The settings of a call to `backend` (undefined: a plain URL, which has Azure's defaults). */
export function transportSettings(backend: Backend | undefined, httpVersion: HttpVersion): TransportSettings {
  return {
    // Azure's BackendTlsProperties: both validations default to true.
    validateChain: backend?.tls?.validateCertificateChain ?? true,
    validateName: backend?.tls?.validateCertificateName ?? true,
    clientCertificates: backend?.clientCertificates ?? [],
    proxy: backend?.proxy,
    httpVersion,
  };
}

const httpVersions: readonly HttpVersion[] = ['1', '2or1', '2'];

/** The most Agents kept besides the plain one. */
const maxAgents = 256;

/** The identity of an Agent: settings that open the same kind of connection share one. */
function settingsKey(s: TransportSettings): string {
  return JSON.stringify([
    s.validateChain,
    s.validateName,
    s.clientCertificates.map((c) => c.thumbprint),
    s.proxy ? [s.proxy.url, s.proxy.username, s.proxy.password] : null,
    s.httpVersion,
  ]);
}

/** Whether the settings are the defaults, served by the plain Agent. */
function isDefault(s: TransportSettings): boolean {
  return s.validateChain && s.validateName && s.clientCertificates.length === 0 && !s.proxy && s.httpVersion === '1';
}

/** The `Proxy-Authorization` value for a proxy with credentials (HTTP Basic), else undefined. */
export function proxyAuthorization(proxy: BackendProxy): string | undefined {
  if (proxy.username === undefined && proxy.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${proxy.username ?? ''}:${proxy.password ?? ''}`).toString('base64')}`;
}

/** Agents by settings; the plain one serves plain URLs and backends with default settings. */
export class BackendTransports {
  /** Calls with default settings, and plain-http calls sent to a proxy in absolute form. */
  readonly plain: Agent;
  private readonly agents = new Map<string, Agent>();
  /** The connectors by settings (what an Agent connects with, and `connect`). */
  private readonly connectors = new Map<string, buildConnector.connector>();
  private readonly proxyClients: Client[] = [];

  constructor(private readonly pool: TransportPoolOptions) {
    this.plain = new Agent({ connections: pool.connections, keepAliveTimeout: pool.keepAliveTimeout, pipelining: 1 });
  }

  /** The Agent for a call with these settings to an https backend or a direct http one. */
  agentFor(settings: TransportSettings): Agent {
    if (isDefault(settings)) return this.plain;
    const key = settingsKey(settings);
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connections: this.pool.connections,
        keepAliveTimeout: this.pool.keepAliveTimeout,
        pipelining: 1,
        allowH2: settings.httpVersion !== '1',
        connect: this.connectorFor(settings),
      });
      this.agents.set(key, agent);
      // Certificates chosen per request (authentication-certificate body) could add Agents
      // without end between snapshots: past the bound, the oldest Agent closes.
      if (this.agents.size > maxAgents) {
        const [oldestKey, oldest] = this.agents.entries().next().value!;
        this.agents.delete(oldestKey);
        this.connectors.delete(oldestKey);
        void oldest.close();
      }
    }
    return agent;
  }

  /**
   * Where a call to `origin` + `path` is dispatched: the origin itself on the Agent for its
   * settings, or, for plain http behind a proxy, the proxy with the path in absolute form (the
   * Host and Proxy-Authorization headers are added to `headers`).
   */
  route(settings: TransportSettings, origin: string, path: string, headers: string[]): { dispatcher: Dispatcher; origin: string; path: string } {
    if (!settings.proxy || !origin.startsWith('http:') || settings.httpVersion === '2') {
      return { dispatcher: this.agentFor(settings), origin, path };
    }
    if (!headers.some((name, i) => i % 2 === 0 && name.toLowerCase() === 'host')) headers.push('Host', origin.slice(origin.indexOf('//') + 2));
    const auth = proxyAuthorization(settings.proxy);
    if (auth) headers.push('Proxy-Authorization', auth);
    return { dispatcher: this.plain, origin: new URL(settings.proxy.url).origin, path: `${origin}${path}` };
  }

  /**
   * One connection to `target` outside any pool, made as a pooled call's would be (proxy tunnel,
   * client certificates, certificate checks): a WebSocket upgrade takes the connection over, so
   * it cannot come from a keep-alive pool. Through a proxy it is always a CONNECT tunnel, also for
   * `ws://`, since an upgrade cannot travel in a proxy's absolute form.
   */
  connect(settings: TransportSettings, target: { hostname: string; port: string; secure: boolean }): Promise<Socket> {
    const connector = this.connectorFor(settings);
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    return new Promise((resolve, reject) => {
      connector(
        { hostname, host: hostname, port: target.port, protocol: target.secure ? 'https:' : 'http:', servername: isIP(hostname) === 0 ? hostname : undefined } as buildConnector.Options,
        (err, socket) => (err || !socket ? reject(err ?? new Error('no connection')) : resolve(socket as Socket)),
      );
    });
  }

  /**
   * Closes the Agents no backend of `backends` (a new snapshot's) can use any more, once their
   * calls in flight are done: a changed proxy or certificate leaves no pool behind.
   */
  retain(backends: Iterable<Backend>): void {
    const used = new Set<string>();
    for (const backend of backends) for (const version of httpVersions) used.add(settingsKey(transportSettings(backend, version)));
    for (const [key, agent] of this.agents) {
      if (used.has(key)) continue;
      this.agents.delete(key);
      void agent.close();
    }
    for (const key of this.connectors.keys()) if (!used.has(key)) this.connectors.delete(key);
  }

  /** How many Agents besides the plain one are kept (for tests). */
  get agentCount(): number {
    return this.agents.size;
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await Promise.all([this.plain.close(), ...[...this.agents.values()].map((a) => a.close()), ...this.proxyClients.map((c) => c.close())]);
  }

  /**
   * Opens a backend connection (through the proxy's tunnel when there is one), then checks the
   * backend's certificate as the settings ask: Node's own check is off so each rule can be
   * applied alone (Node skips the name check when the chain already failed).
   */
  private connectorFor(s: TransportSettings): buildConnector.connector {
    const key = settingsKey(s);
    let connector = this.connectors.get(key);
    if (!connector) {
      connector = this.connector(s);
      this.connectors.set(key, connector);
    }
    return connector;
  }

  /** A new connector for the settings (connectorFor keeps one per settings). */
  private connector(s: TransportSettings): buildConnector.connector {
    const endpoint = buildConnector({
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ...presentedMaterial(s.clientCertificates),
      allowH2: s.httpVersion !== '1',
      // A resumed TLS session shows no peer certificate, so the name check below could not be
      // made (it would refuse a good backend); every connection does a full handshake.
      maxCachedSessions: 0,
    } as buildConnector.BuildOptions);
    const open = s.proxy ? this.tunnel(s.proxy, endpoint) : endpoint;
    return (options, callback) =>
      open(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no connection'), null);
        const problem =
          socket instanceof TLSSocket
            ? tlsProblem(socket, options.servername || options.hostname, s)
            : s.httpVersion === '2'
              ? new Error('HTTP/2 to a backend is negotiated over TLS: an http:// backend cannot be called with http-version="2".')
              : undefined;
        if (problem) {
          socket.destroy();
          callback(problem, null);
        } else callback(null, socket);
      });
  }

  /** Connects through an HTTP proxy with CONNECT, then hands the tunnel to `endpoint` for TLS. */
  private tunnel(proxy: BackendProxy, endpoint: buildConnector.connector): buildConnector.connector {
    const client = new Client(new URL(proxy.url).origin);
    this.proxyClients.push(client);
    const auth = proxyAuthorization(proxy);
    return (options, callback) => {
      const port = options.port || (options.protocol === 'https:' ? '443' : '80');
      const target = `${options.hostname}:${port}`;
      const headers: Record<string, string> = { host: target };
      if (auth) headers['proxy-authorization'] = auth;
      client.connect({ path: target, headers }).then(
        ({ socket, statusCode }) => {
          if (statusCode !== 200) {
            socket.on('error', () => undefined).destroy();
            return callback(new Error(`The proxy answered ${statusCode} to CONNECT ${target}.`), null);
          }
          if (options.protocol !== 'https:') return callback(null, socket as Socket);
          endpoint({ ...options, httpSocket: socket as Socket }, callback);
        },
        (err: Error) => callback(new Error(`The proxy refused CONNECT ${target}: ${err.message}`), null),
      );
    };
  }
}

/** The TLS options that present `certificates`: PFX files as `pfx`, PEM ones as `cert` and `key`. */
function presentedMaterial(certificates: readonly ClientCertificate[]): { pfx: Array<{ buf: Buffer; passphrase?: string }>; cert: string[]; key: Array<{ pem: string; passphrase?: string }> } {
  const out = { pfx: [] as Array<{ buf: Buffer; passphrase?: string }>, cert: [] as string[], key: [] as Array<{ pem: string; passphrase?: string }> };
  for (const c of certificates) {
    const material = certificateMaterial(c.data, c.password);
    if (material.format === 'pfx') out.pfx.push({ buf: material.pfx, passphrase: material.password });
    else if (material.format === 'pem' && material.key) {
      out.cert.push(material.cert);
      out.key.push({ pem: material.key, passphrase: material.password });
    }
  }
  return out;
}

/** Why a backend's TLS connection is refused under the settings, or undefined. */
function tlsProblem(socket: TLSSocket, host: string, s: TransportSettings): Error | undefined {
  if (s.validateChain && !socket.authorized) {
    return new Error(`The backend's certificate chain is not trusted (${String(socket.authorizationError)}).`);
  }
  if (s.validateName) {
    const mismatch = checkServerIdentity(host.replace(/^\[|\]$/g, ''), socket.getPeerCertificate());
    if (mismatch) return new Error(`The backend's certificate does not match its host name: ${mismatch.message}`);
  }
  if (s.httpVersion === '2' && socket.alpnProtocol !== 'h2') {
    return new Error('The backend does not support HTTP/2 (http-version="2").');
  }
  return undefined;
}

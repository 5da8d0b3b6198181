/**
 * Real loopback servers for backend-connection tests: HTTPS backends with generated self-signed
 * certificates (optionally asking for a client certificate), an HTTP/2 backend, a small HTTP
 * proxy that records what went through it (absolute-form requests and CONNECT tunnels), and
 * client certificates packed as PFX files by openssl.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';

/** A PEM certificate and key. */
export interface KeyPair {
  cert: string;
  key: string;
}

/** A self-signed certificate for `commonName` whose subjectAltName lists `dns` names and `ips`. */
export async function selfSignedCertificate(commonName: string, names: { dns?: string[]; ips?: string[] } = {}, keyType: 'ec' | 'rsa' = 'ec'): Promise<KeyPair> {
  const altNames = [...(names.dns ?? []).map((value) => ({ type: 2 as const, value })), ...(names.ips ?? []).map((ip) => ({ type: 7 as const, ip }))];
  const now = Date.now();
  const made = await generate([{ name: 'commonName', value: commonName }], {
    ...(keyType === 'rsa' ? { keyType: 'rsa' as const, keySize: 2048 } : { keyType: 'ec' as const, curve: 'P-256' }),
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 3_600_000),
    notAfterDate: new Date(now + 30 * 24 * 3_600_000),
    extensions: [{ name: 'basicConstraints', cA: false }, ...(altNames.length ? [{ name: 'subjectAltName' as const, altNames }] : [])],
  });
  return { cert: made.cert, key: made.private };
}

/** A client certificate packed as a PFX (base64) with `password`, and its thumbprint (SHA-1, upper-case hex). */
export interface ClientPfx extends KeyPair {
  pfx: string;
  password: string;
  thumbprint: string;
}

/** Packs a key pair into a PKCS#12 file with openssl (`opensslArgs` added to `openssl pkcs12 -export`, e.g. `-legacy`). */
export function packPfx(pair: KeyPair, password: string, opensslArgs: string[] = []): ClientPfx {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pfx-'));
  try {
    writeFileSync(join(dir, 'c.pem'), pair.cert);
    writeFileSync(join(dir, 'k.pem'), pair.key);
    execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-out', join(dir, 'c.pfx'), '-passout', `pass:${password}`, ...opensslArgs]);
    const pfx = readFileSync(join(dir, 'c.pfx')).toString('base64');
    const thumbprint = new X509Certificate(pair.cert).fingerprint.replace(/:/g, '');
    return { ...pair, pfx, password, thumbprint };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A running loopback server and its base URL. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What a test backend saw of a request; it answers this as JSON. */
export interface SeenRequest {
  httpVersion: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The subject CN of the client certificate presented, or null. */
  clientCertificate: string | null;
}

function seen(req: IncomingMessage | Http2ServerRequest): SeenRequest {
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const cn = peer && peer.subject ? peer.subject.CN : undefined;
  return { httpVersion: req.httpVersion, path: req.url ?? '', headers: req.headers, clientCertificate: typeof cn === 'string' ? cn : null };
}

function answer(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void {
  const body = JSON.stringify(seen(req));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
}

async function listening(server: HttpServer | HttpsServer | Http2SecureServer, scheme: string): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTPS/1.1 backend answering what it saw; with `requestCert` it asks for a client certificate (and accepts any). */
export function startHttpsBackend(pair: KeyPair, options: { requestCert?: boolean } = {}): Promise<RunningServer> {
  const server = createHttpsServer({ ...pair, requestCert: options.requestCert ?? false, rejectUnauthorized: false }, answer);
  return listening(server, 'https');
}

/** A TLS backend that speaks HTTP/2 (and HTTP/1.1 when `allowHTTP1`), answering what it saw; it asks for a client certificate (and accepts any). */
export function startHttp2Backend(pair: KeyPair, allowHTTP1: boolean): Promise<RunningServer> {
  const server = createSecureServer({ ...pair, allowHTTP1, requestCert: true, rejectUnauthorized: false }, answer);
  return listening(server, 'https');
}

/** What the test proxy saw: absolute-form requests and CONNECT tunnels, with their Proxy-Authorization. */
export interface ProxyLog {
  kind: 'absolute' | 'connect';
  target: string;
  proxyAuthorization: string | undefined;
}

/** A small forwarding HTTP proxy; it answers 407 without `Proxy-Authorization` when `requireAuth` is given. */
export async function startTestProxy(requireAuth?: string): Promise<RunningServer & { log: ProxyLog[] }> {
  const log: ProxyLog[] = [];
  const server = createHttpServer((req, res) => {
    const auth = req.headers['proxy-authorization'];
    log.push({ kind: 'absolute', target: req.url ?? '', proxyAuthorization: auth });
    if (requireAuth !== undefined && auth !== requireAuth) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization'];
    log.push({ kind: 'connect', target: req.url ?? '', proxyAuthorization: auth });
    if (requireAuth !== undefined && auth !== requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { ...(await listening(server, 'http')), log };
}

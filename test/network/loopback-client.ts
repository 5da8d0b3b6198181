/**
 * HTTP requests from a chosen loopback source address (127.0.0.0/8 is all local on Linux), so
 * network tests can play callers inside and outside a listener's admitted networks on one host.
 */
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';

export type LoopbackAnswer =
  | { ok: true; status: number; body: string; socket: Socket }
  | { ok: false; code: string };

export interface LoopbackRequest {
  /** The source address the connection is made from. */
  from?: string;
  agent?: Agent;
  path?: string;
  headers?: Record<string, string>;
}

/** Sends GET to host:port; resolves with the answer or the connection error's code (ECONNRESET, ECONNREFUSED …). */
export function loopbackGet(host: string, port: number, options: LoopbackRequest = {}): Promise<LoopbackAnswer> {
  return new Promise((resolve) => {
    const req = request(
      { host, port, path: options.path ?? '/', localAddress: options.from, agent: options.agent ?? false, headers: options.headers },
      (res) => {
        // Read now: a keep-alive agent takes the socket back (res.socket turns null) once the body ends.
        const socket = res.socket;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ ok: true, status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), socket }));
      },
    );
    req.setTimeout(5000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, code: err.code ?? err.message }));
    req.end();
  });
}

/** Resolves when a socket has closed (true) or after `ms` without closing (false). */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * How the admin console and the developer portal answer: JSON in ARM's error shape, pages and
 * files, every one with the consoles' security headers (console-headers.ts) and an unread
 * request body drained so the connection stays usable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { consoleHeaders } from './console-headers.js';

/** An error body in ARM's shape, so a page reads console and management errors alike. */
export function problem(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** The first value of a request header. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Answers JSON, never cached. */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, extra: Record<string, string | string[]> = {}): void {
  send(req, res, status, 'application/json; charset=utf-8', JSON.stringify(body), { ...consoleHeaders(), 'cache-control': 'no-store', ...extra });
}

/** Answers a body with its type and headers (no body for HEAD). */
export function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string | string[]>): void {
  req.resume();
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** Answers 500 (or cuts the connection when the answer had begun) after a request failed unexpectedly. */
export function answerInternalError(res: ServerResponse, req: IncomingMessage): void {
  if (res.headersSent) res.destroy();
  else sendJson(req, res, 500, problem('InternalServerError', 'The request failed because of an internal error.'));
}

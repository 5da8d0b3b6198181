/**
 * The gateway's access log (issue 4 §5): one JSON line per request, to stdout, stderr or a file
 * opened for appending (so several worker processes can share it), written in batches: the lines
 * of an event-loop turn in one asynchronous write (issue 19 §1), all of them flushed on close. The line is serialised
 * here, field by field in a fixed order, rather than by a pino logger: the logger's generic
 * object serialisation was about a third of the gateway's observability cost per request.
 * Fields and an example line are in docs/observability.md.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { unmapped } from '../core/address-ranges.js';
import { BatchedLineWriter } from './batched-line-writer.js';
import { redactQuery, secretQueryNames } from './redact-query.js';
import type { CompletedRequest, RequestSink } from './request-observer.js';

/** Where the access log goes; `off` is expressed by not creating one. */
export type AccessLogTarget = { kind: 'stdout' } | { kind: 'stderr' } | { kind: 'file'; path: string };

/** The access log: a sink for completed requests, and a close that flushes what is buffered. */
export interface AccessLog extends RequestSink {
  close(): Promise<void>;
}

// Each write holds whole lines, so lines of several processes sharing one destination never mix
// inside a line: within PIPE_BUF (4096 bytes on Linux) for a pipe or socket, which the kernel
// writes in one piece only up to that size; up to 64 KiB otherwise (a regular file in append mode
// or a terminal, which Linux writes in one piece under a lock, or /dev/null).
const maxPipeWrite = 4096;
const maxFileWrite = 64 * 1024;

/** Opens the access log on `target`; throws when a file cannot be opened for appending. */
export function createAccessLog(target: AccessLogTarget): AccessLog {
  const dest = target.kind === 'file' ? openForAppending(target.path) : target.kind === 'stdout' ? 1 : 2;
  // A destination that failed (a full disk, a closed pipe) drops lines rather than the gateway.
  const writer = new BatchedLineWriter(dest, isPipeOrSocket(dest) ? maxPipeWrite : maxFileWrite, target.kind === 'file');
  const pidField = `,"pid":${process.pid}`;
  return {
    record(request) {
      writer.write(`{${isoTimestampField()}${pidField}${serialisedFields(accessLogFields(request))}}\n`);
    },
    close: () => writer.close(),
  };
}

let lastMs = -1;
let lastField = '';
/** `"time":"<ISO 8601>"`, formatted once per millisecond: many lines share one at load. */
function isoTimestampField(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastField = `"time":"${new Date(now).toISOString()}"`;
  }
  return lastField;
}

/** `,"name":value` for each field, in order; strings JSON-escaped. */
function serialisedFields(fields: Record<string, string | number | boolean>): string {
  let out = '';
  for (const name in fields) {
    const value = fields[name]!;
    out += typeof value === 'string' ? `,"${name}":${JSON.stringify(value)}` : `,"${name}":${value}`;
  }
  return out;
}

/** The fields of one access log line (without `time` and `pid`, which come first). */
export function accessLogFields(request: CompletedRequest): Record<string, string | number | boolean> {
  const { req, record } = request;
  const gw = record.gateway;
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : `${rawUrl.slice(0, q)}?${redactQuery(rawUrl.slice(q + 1), secretQueryNames(gw?.api ?? record.api))}`;
  const fields: Record<string, string | number | boolean> = {
    requestId: gw ? gw.requestId : crypto.randomUUID(),
    method: req.method ?? '',
    path,
    status: request.status,
  };
  if (request.aborted) fields.aborted = true;
  fields.durationMs = Math.round(request.durationMs * 10) / 10;
  const length = contentLength(req.rawHeaders);
  if (length !== undefined) fields.requestBytes = length;
  fields.responseBytes = request.responseBytes;
  // The handler's value when it got that far; else the connection's peer.
  fields.clientIp = gw ? gw.request.ipAddress : (record.clientIp ?? unmapped(req.socket.remoteAddress ?? ''));
  fields.endpoint = request.endpoint;
  if (gw) {
    fields.api = gw.routing.apiId;
    fields.operation = gw.operation.name;
    if (gw.product) fields.product = gw.product.name;
    if (gw.subscription) fields.subscription = gw.subscription.name;
  }
  if (request.backendStatus !== undefined) fields.backendStatus = request.backendStatus;
  if (request.backendMs !== undefined) fields.backendMs = Math.round(request.backendMs * 10) / 10;
  const error = gw?.lastError?.reason ?? record.error;
  if (error) fields.error = error;
  return fields;
}

/** Throws when the access log file of `target` cannot be opened for appending (other targets always can). */
export function checkAccessLogTarget(target: AccessLogTarget | null): void {
  if (target?.kind === 'file') closeSync(openForAppending(target.path));
}

function isPipeOrSocket(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return true;
  }
}

/** Opened here, synchronously, so a bad path is reported at start with its reason. */
function openForAppending(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (err) {
    throw new Error(`Cannot open the access log file ${path}: ${(err as Error).message}`);
  }
}

/** The request's Content-Length, read from the raw headers (building `req.headers` costs more). */
function contentLength(raw: readonly string[]): number | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 14 && raw[i]!.toLowerCase() === 'content-length') {
      const value = raw[i + 1]!.trim();
      return /^\d+$/.test(value) ? Number(value) : undefined;
    }
  }
  return undefined;
}

/**
 * The gateway's access log (issue 4 §5): one JSON line per request, to stdout, stderr or a file
 * opened for appending (so several worker processes can share it), written in batches: the lines
 * of an event-loop turn in one asynchronous write (issue 19 §1), all of them flushed on close. The line is serialised
 * by access-log-line.ts, field by field in a fixed order, rather than by a pino logger: the
 * logger's generic object serialisation was about a third of the gateway's observability cost
 * per request. Fields and an example line are in docs/observability.md.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { accessLogLine } from './access-log-line.js';
import { BatchedLineWriter } from './batched-line-writer.js';
import type { RequestSink } from './request-observer.js';

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
      writer.write(accessLogLine(request, pidField));
    },
    close: () => writer.close(),
  };
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

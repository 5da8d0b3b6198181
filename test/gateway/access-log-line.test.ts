/**
 * The access log line as access-log-line.ts writes it, byte for byte against `JSON.stringify` of
 * the documented fields in their documented order (docs/observability.md), and its `time` against
 * `Date.toISOString` across second boundaries (the part up to the second is formatted once a second).
 */
import { afterEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { accessLogLine } from '../../src/gateway/access-log-line.js';
import type { CompletedRequest } from '../../src/gateway/request-observer.js';

const pidField = ',"pid":4242';

/** An unmatched request (no context) as the observer completes it. */
function unmatched(overrides: Partial<CompletedRequest> & { url?: string; rawHeaders?: string[] } = {}): CompletedRequest {
  const { url = '/nowhere', rawHeaders = ['Host', 'example.test'], ...rest } = overrides;
  const req = { url, method: 'GET', rawHeaders, socket: { remoteAddress: '::ffff:10.1.2.3' } } as unknown as IncomingMessage;
  return {
    req,
    record: { gateway: null, api: null, clientIp: undefined, error: 'OperationNotFound' },
    startedAt: 0,
    durationMs: 3.14159,
    status: 404,
    aborted: false,
    endpoint: 'public',
    responseBytes: 321,
    backendMs: undefined,
    backendStatus: undefined,
    ...rest,
  };
}

/** The line's requestId (random for an unmatched request), to build the expected text around it. */
function requestIdOf(line: string): string {
  return (JSON.parse(line) as { requestId: string }).requestId;
}

afterEach(() => mock.timers.reset());

describe('the access log line', () => {
  it('is JSON.stringify of the documented fields in order, escapes included', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 10, 26, 8, 28, 13, 623) });
    const path = '/caf\u00e9/"quoted"\\back\u2028\u0001?x=1&subscription-key=secret&y=\ud800';
    const request = unmatched({ url: path, rawHeaders: ['Host', 'h', 'Content-Length', ' 12 '], aborted: true, status: 0, durationMs: 12.25, backendMs: 0.96, backendStatus: 502, endpoint: 'private:pe "1"' });
    const line = accessLogLine(request, pidField);
    assert.ok(line.endsWith('}\n'));
    const expected = JSON.stringify({
      time: '2026-11-26T08:28:13.623Z',
      pid: 4242,
      requestId: requestIdOf(line),
      method: 'GET',
      path: '/caf\u00e9/"quoted"\\back\u2028\u0001?x=1&subscription-key=***&y=\ud800',
      status: 0,
      aborted: true,
      durationMs: 12.3,
      requestBytes: 12,
      responseBytes: 321,
      clientIp: '10.1.2.3',
      endpoint: 'private:pe "1"',
      backendStatus: 502,
      backendMs: 1,
      error: 'OperationNotFound',
    });
    assert.equal(line, `${expected}\n`);
  });

  it('leaves out the fields a request does not have', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 0, 1) });
    const line = accessLogLine(unmatched({ record: { gateway: null, api: null, clientIp: '192.0.2.7', error: undefined } }), pidField);
    const expected = JSON.stringify({ time: '2026-01-01T00:00:00.000Z', pid: 4242, requestId: requestIdOf(line), method: 'GET', path: '/nowhere', status: 404, durationMs: 3.1, responseBytes: 321, clientIp: '192.0.2.7', endpoint: 'public' });
    assert.equal(line, `${expected}\n`);
  });

  it('writes durations as String(Math.round(ms * 10) / 10) writes them', () => {
    const values = [0, 0.04, 0.05, 0.949, 0.95, 9.95, 10, 99.99, 123456.789, 2 ** 40 + 0.35, 1e16 + 0.5, ...Array.from({ length: 200 }, () => Math.random() * 10 ** Math.floor(Math.random() * 9))];
    for (const ms of values) {
      const line = accessLogLine(unmatched({ durationMs: ms, backendMs: ms / 3, backendStatus: 200 }), pidField);
      const expected = `"durationMs":${String(Math.round(ms * 10) / 10)},`;
      assert.ok(line.includes(expected), `${ms}: ${expected} not in ${line}`);
      assert.ok(line.includes(`"backendMs":${String(Math.round((ms / 3) * 10) / 10)},`), `${ms / 3} in ${line}`);
    }
  });

  it('writes the time as toISOString does, within a second and across seconds, minutes and years', () => {
    const instants = [
      Date.UTC(2026, 11, 31, 23, 59, 58, 999),
      Date.UTC(2026, 11, 31, 23, 59, 59, 0),
      Date.UTC(2026, 11, 31, 23, 59, 59, 7),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 0),
      Date.UTC(2027, 0, 1, 0, 0, 0, 50),
      // Backwards (the clock was set back) and far forwards.
      Date.UTC(2026, 11, 31, 23, 59, 59, 500),
      Date.UTC(2027, 0, 1, 0, 0, 0, 50) + 86_400_000,
    ];
    mock.timers.enable({ apis: ['Date'], now: instants[0]! });
    for (const now of instants) {
      mock.timers.setTime(now);
      const line = accessLogLine(unmatched(), pidField);
      assert.equal((JSON.parse(line) as { time: string }).time, new Date(now).toISOString());
    }
  });
});

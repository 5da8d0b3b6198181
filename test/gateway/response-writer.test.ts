/**
 * writeGatewayResponse with a body in memory: head and body are written before it returns, and
 * it returns no promise for the request handler to wait on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { writeGatewayResponse } from '../../src/gateway/response-writer.js';
import type { GatewayContext } from '../../src/pipeline/gateway-context.js';
import { HeaderMap } from '../../src/pipeline/header-map.js';
import { MessageBody } from '../../src/pipeline/message-body.js';

/** The calls a ServerResponse receives, in order. */
function recordingResponse(): { res: ServerResponse; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const res = {
    statusMessage: '',
    writeHead: (status: number, lines: string[]) => calls.push(['writeHead', status, lines]),
    end: (body?: Buffer) => calls.push(['end', body?.toString()]),
  };
  return { res: res as unknown as ServerResponse, calls };
}

function answered(body: string): GatewayContext {
  const headers = HeaderMap.fromRaw(['Content-Type', 'text/plain', 'X-Tag', 'a', 'x-tag', 'b']);
  return { beforeRespond: [], response: { statusCode: 200, statusReason: '', headers, body: new MessageBody(body) } } as unknown as GatewayContext;
}

describe('writeGatewayResponse, body in memory', () => {
  it('writes head and body before returning, and returns no promise', () => {
    const { res, calls } = recordingResponse();
    const returned = writeGatewayResponse(answered('hello'), res, false);
    assert.equal(returned, undefined);
    assert.deepEqual(calls, [
      ['writeHead', 200, ['Content-Type', 'text/plain', 'X-Tag', 'a,b', 'Content-Length', '5']],
      ['end', 'hello'],
    ]);
  });

  it('answers HEAD with the head alone, also without a promise', () => {
    const { res, calls } = recordingResponse();
    assert.equal(writeGatewayResponse(answered('hello'), res, true), undefined);
    assert.deepEqual(calls, [
      ['writeHead', 200, ['Content-Type', 'text/plain', 'X-Tag', 'a,b']],
      ['end', undefined],
    ]);
  });
});

/**
 * Header values a policy sets that HTTP cannot carry as they are (issue 11, finding 10): a
 * non-ASCII value used to make Node refuse the response head, and the caller got `500 OK` on the
 * status line. A real gateway process, a real echo backend, and a raw socket reading the bytes
 * of the answer: non-ASCII values travel as their UTF-8 bytes both ways, and a value no encoding
 * can make legal (a control character) gives Azure's 500 with a proper status line.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { rawExchange } from './helpers/raw-exchange.js';

const TEXT = 'caf\u00e9 \u2603 \u{1F600}';
let echo: EchoBackend;
let gh: GatehouseProcess;
let gatewayPort: number;
/** The raw bytes of the X-Text header the backend received, per request path. */
const backendSaw = new Map<string, Buffer>();

function operation(name: string, inbound: string, outbound: string): Record<string, object | string> {
  return {
    [`apis/h/operations/${name}/operationInformation.json`]: {
      properties: { displayName: name, method: 'GET', urlTemplate: `/${name}`, templateParameters: [] },
    },
    [`apis/h/operations/${name}/policy.xml`]: `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound><base />${outbound}</outbound><on-error><base /></on-error></policies>`,
  };
}

const setText = (value: string): string => `<set-header name="X-Text" exists-action="override"><value>${value}</value></set-header>`;

before(async () => {
  echo = await startEchoBackend();
  // The echo backend parses headers as latin1 strings; the raw bytes are what a backend receives.
  echo.server.prependListener('request', (req: { url?: string; rawHeaders: string[] }) => {
    const at = req.rawHeaders.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'x-text');
    if (at !== -1) backendSaw.set(req.url ?? '', Buffer.from(req.rawHeaders[at + 1]!, 'latin1'));
  });
  const config = writeApiopsFolder({
    'apis/h/apiInformation.json': apiInformation({ displayName: 'h', path: 'h', serviceUrl: echo.url, subscriptionRequired: false }),
    ...operation('to-client', '', setText(TEXT)),
    ...operation('to-backend', setText(TEXT), ''),
    // A control character: no encoding makes it legal, and Node refuses it when writing the head.
    ...operation('control', '', setText('@("first\\u0001second")')),
  });
  gh = await startGatehouseProcess(['--config', config]);
  gatewayPort = Number(new URL(gh.gatewayUrl).port);
});

after(async () => {
  await gh?.stop();
  await echo?.close();
});

const get = (path: string) => rawExchange(gatewayPort, `GET ${path} HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n`);

/** The raw bytes of a header line's value in an answer. */
function headerBytes(raw: Buffer, name: string): Buffer | undefined {
  const head = raw.subarray(0, raw.indexOf('\r\n\r\n'));
  const marker = Buffer.from(`\r\n${name}: `, 'latin1');
  const at = head.indexOf(marker);
  if (at === -1) return undefined;
  const start = at + marker.length;
  const end = head.indexOf('\r\n', start);
  return head.subarray(start, end === -1 ? head.length : end);
}

describe('header values a policy sets', () => {
  it('a non-ASCII value reaches the caller as its UTF-8 bytes, with 200 OK on the status line', async () => {
    const answer = await get('/h/to-client');
    assert.equal(answer.statusLine, 'HTTP/1.1 200 OK');
    assert.deepEqual(headerBytes(answer.raw, 'X-Text'), Buffer.from(TEXT, 'utf8'));
  });

  it('a non-ASCII value reaches the backend as its UTF-8 bytes', async () => {
    const answer = await get('/h/to-backend');
    assert.equal(answer.statusLine, 'HTTP/1.1 200 OK');
    assert.deepEqual(backendSaw.get('/to-backend'), Buffer.from(TEXT, 'utf8'));
  });

  it("a value with a control character gets Azure's 500 body under a 500 status line", async () => {
    const answer = await get('/h/control');
    assert.equal(answer.statusLine, 'HTTP/1.1 500 Internal Server Error');
    const body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
    assert.equal(body.statusCode, 500);
    assert.equal(body.message, 'Internal server error');
    assert.equal(typeof body.activityId, 'string');
    assert.equal(answer.headers['x-text'], undefined);
  });
});

/**
 * Path traversal past an API's serviceUrl (issue 11, finding 1): a real gateway process in front
 * of a real loopback backend that, like a naive file server, resolves `..` itself and keeps a
 * `/secret.txt` outside the `/public` folder the API points at. Raw, percent-encoded, mixed-case
 * and encoded-slash dot segments, and a rewrite-uri that builds `..` from a template parameter,
 * must never reach the secret: climbing ones get Azure-shaped 400s, harmless ones are resolved
 * before the backend sees them, and no request the backend receives contains a dot segment.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { posix } from 'node:path';
import { apiInformation, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';

const SECRET = 'the secret outside /public';

let backend: Server;
let backendUrl: string;
/** Every request target the backend received, as it arrived. */
const received: string[] = [];
let gh: GatehouseProcess;
let gatewayPort: number;

/** A backend that resolves dot segments after decoding, the way a careless file server does. */
async function startFileServer(): Promise<void> {
  backend = createServer((req, res) => {
    received.push(req.url ?? '');
    const pathname = (req.url ?? '/').split('?')[0]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname).replaceAll('\\', '/');
    } catch {
      decoded = pathname;
    }
    const file = posix.normalize(decoded);
    const body = file === '/secret.txt' ? SECRET : `public file ${file}`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}

function operation(method: string, urlTemplate: string, params: string[] = []): object {
  return {
    properties: {
      displayName: urlTemplate,
      method,
      urlTemplate,
      templateParameters: params.map((name) => ({ name, type: 'string', required: true })),
    },
  };
}

function inbound(policy: string): string {
  return `<policies><inbound><base />${policy}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
}

before(async () => {
  await startFileServer();
  const config = writeApiopsFolder({
    'apis/files/apiInformation.json': apiInformation({ displayName: 'files', path: 'files', serviceUrl: `${backendUrl}/public`, subscriptionRequired: false }),
    'apis/files/operations/any/operationInformation.json': operation('GET', '/*'),
    'apis/files/operations/item/operationInformation.json': operation('GET', '/items/{id}', ['id']),
    // rewrite-uri puts a query value, slashes kept, into the backend path.
    'apis/files/operations/by-name/operationInformation.json': operation('GET', '/by-name?name={name}', ['name']),
    'apis/files/operations/by-name/policy.xml': inbound('<rewrite-uri template="/docs/{*name}" copy-unmatched-params="false" />'),
    // An expression builds the path from a header.
    'apis/files/operations/by-header/operationInformation.json': operation('GET', '/by-header'),
    'apis/files/operations/by-header/policy.xml': inbound(
      `<rewrite-uri template="@(&quot;/docs/&quot; + context.Request.Headers.GetValueOrDefault(&quot;X-Doc&quot;, &quot;&quot;))" />`,
    ),
  });
  gh = await startGatehouseProcess(['--config', config]);
  gatewayPort = Number(new URL(gh.gatewayUrl).port);
});

after(async () => {
  await gh?.stop();
  await new Promise<void>((resolve) => backend?.close(() => resolve()));
});

/** Sends a GET with the path exactly as written (Node's client does not normalise it). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: gatewayPort, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const badPath = { statusCode: 400, message: 'Invalid request path.' };

describe('dot segments that climb above the API are refused with 400', () => {
  const climbing: Array<[string, string, Record<string, string>?]> = [
    ['raw ../', '/files/../secret.txt'],
    ['raw ../ after a segment', '/files/a/../../secret.txt'],
    ['percent-encoded %2e%2e/', '/files/%2e%2e/secret.txt'],
    ['mixed-case %2E%2e/', '/files/%2E%2e/secret.txt'],
    ['half-encoded .%2e/', '/files/.%2e/secret.txt'],
    ['..%2F..%2F inside a template parameter', '/files/items/..%2F..%2Fsecret.txt'],
    ['..%2f..%2f in lower case', '/files/items/..%2f..%2fsecret.txt'],
    ['encoded backslashes ..%5C..%5C', '/files/items/..%5C..%5Csecret.txt'],
    ['%2e%2e%2F with everything encoded', '/files/items/%2e%2e%2F%2e%2e%2Fsecret.txt'],
    ['..;/ path parameter', '/files/..;/secret.txt'],
    ['rewrite-uri building ../.. from a query parameter', '/files/by-name?name=../../secret.txt'],
    ['rewrite-uri building ../.. from a header through an expression', '/files/by-header', { 'X-Doc': '../../secret.txt' }],
  ];
  for (const [name, path, headers] of climbing) {
    it(name, async () => {
      const before = received.length;
      const answer = await get(path, headers);
      assert.equal(answer.status, 400, `${path} answered ${answer.status}: ${answer.body}`);
      assert.deepEqual(JSON.parse(answer.body), badPath);
      assert.equal(received.length, before, `the backend was called: ${received.slice(before).join(', ')}`);
    });
  }
});

describe('an absolute-form request target (RFC 9112 §3.2.2) routes like its path', () => {
  it('serves http://other.example/files/a.txt as /files/a.txt', async () => {
    const before = received.length;
    const answer = await get('http://other.example/files/a.txt');
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(received.slice(before), ['/public/a.txt']);
  });

  it('refuses a climbing dot segment inside it, and the backend is never called', async () => {
    const before = received.length;
    const answer = await get('http://other.example/files/%2e%2e/secret.txt');
    assert.equal(answer.status, 400, answer.body);
    assert.deepEqual(JSON.parse(answer.body), badPath);
    assert.equal(received.length, before);
  });
});

describe('dot segments that stay inside the API are resolved before the backend', () => {
  const inside: Array<[string, string, string, Record<string, string>?]> = [
    ['a/b/../c.txt', '/files/a/b/../c.txt', '/public/a/c.txt'],
    ['./x.txt', '/files/./x.txt', '/public/x.txt'],
    ['%2e/ and %2e%2e/ inside', '/files/a/%2e/b/%2E%2E/y.txt', '/public/a/y.txt'],
    ['a final ..', '/files/a/b/..', '/public/a/'],
    ['rewrite-uri with a .. that stays under the base', '/files/by-name?name=a/../z.txt', '/public/docs/z.txt'],
  ];
  for (const [name, path, backendPath, headers] of inside) {
    it(name, async () => {
      const before = received.length;
      const answer = await get(path, headers);
      assert.equal(answer.status, 200, answer.body);
      assert.deepEqual(received.slice(before), [backendPath]);
    });
  }
});

describe('what the backend received', () => {
  it('never contained a dot segment and never served the secret', () => {
    assert.ok(received.length > 0);
    for (const target of received) {
      const pathname = decodeURIComponent(target.split('?')[0]!);
      assert.ok(!pathname.split(/[/\\;]/).some((s) => s === '..' || s === '.'), `the backend saw ${target}`);
    }
  });
});

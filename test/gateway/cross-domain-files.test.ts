/**
 * The gateway serving the global `cross-domain` policy's documents through the real runtime on
 * a loopback socket: GET and HEAD at the root, `text/xml`, no subscription key, named values
 * substituted, 404 for the document the policy does not hold and for other methods, an
 * operation at the same path keeps it, and a reload that drops the policy stops serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { emptyServiceConfig, type Operation, type ServiceConfig } from '../../src/model/resources.js';

const logger = createLogger('silent');
const flash = '<cross-domain-policy>\n  <allow-access-from domain="{{flash-domain}}" secure="true" />\n</cross-domain-policy>';
const global = (content: string) => `<policies><inbound>${content}<base /></inbound><backend><forward-request /></backend></policies>`;

function config(backendUrl: string, globalXml: string | undefined, rootOperations: Operation[] = []): ServiceConfig {
  return {
    ...emptyServiceConfig('cross-domain-test'),
    namedValues: [{ name: 'flash-domain', displayName: 'flash-domain', value: '*.contoso.com', secret: false }],
    ...(globalXml ? { globalPolicy: { xml: globalXml, source: 'global' } } : {}),
    // An API at the root path: its key is required, so a request it claims is told so (401).
    apis: [{ name: 'root', displayName: 'Root', path: '', serviceUrl: backendUrl, protocols: ['http'], subscriptionRequired: true, apiRevision: '1', isCurrent: true, isOnline: true, operations: rootOperations }],
  };
}

describe('gateway cross-domain files', () => {
  let backend: EchoBackend;
  const runtimes: GatewayRuntime[] = [];
  before(async () => {
    backend = await startEchoBackend();
  });
  after(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await backend?.close();
  });
  const start = async (cfg: ServiceConfig) => {
    const runtime = await startGatewayRuntime(cfg, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, logger);
    runtimes.push(runtime);
    return { runtime, base: `http://127.0.0.1:${runtime.listeners[0]!.port}` };
  };

  it('answers GET and HEAD for the document it holds, 404 for the other', async () => {
    const { base } = await start(config(backend.url, global(`<cross-domain>${flash}</cross-domain>`)));
    const get = await fetch(`${base}/crossdomain.xml`);
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('content-type'), 'text/xml; charset=utf-8');
    const body = await get.text();
    assert.equal(body, '<?xml version="1.0" encoding="utf-8"?>\n<cross-domain-policy>\n  <allow-access-from domain="*.contoso.com" secure="true" />\n</cross-domain-policy>');
    const head = await fetch(`${base}/CrossDomain.xml?x=1`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(body)));
    assert.equal(await head.text(), '');
    const other = await fetch(`${base}/clientaccesspolicy.xml`);
    assert.equal(other.status, 404);
    assert.deepEqual(await other.json(), { statusCode: 404, message: 'Resource not found' });
    const post = await fetch(`${base}/crossdomain.xml`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 404);
    await post.arrayBuffer();
    assert.equal((await fetch(`${base}/api/crossdomain.xml`)).status, 404);
  });

  it('serves the Silverlight document, and an operation at the same path keeps it', async () => {
    const silverlight = '<access-policy><cross-domain-access><policy><allow-from><domain uri="*" /></allow-from><grant-to><resource path="/" include-subpaths="true" /></grant-to></policy></cross-domain-access></access-policy>';
    const operation: Operation = { name: 'flash', displayName: 'Flash', method: 'GET', urlTemplate: '/crossdomain.xml' };
    const { runtime, base } = await start(config(backend.url, global(`<cross-domain>${flash}${silverlight}</cross-domain>`), [operation]));
    const client = await fetch(`${base}/clientaccesspolicy.xml`);
    assert.equal(client.status, 200);
    assert.match(await client.text(), /^<\?xml [^>]*\?>\n<access-policy><cross-domain-access><policy>/);
    // The API at the root path claims /crossdomain.xml: its subscription key is asked for.
    const claimed = await fetch(`${base}/crossdomain.xml`);
    assert.equal(claimed.status, 401);
    await claimed.arrayBuffer();

    runtime.reload(config(backend.url, global('')));
    await runtime.settled();
    const gone = await fetch(`${base}/clientaccesspolicy.xml`);
    assert.equal(gone.status, 404);
    await gone.arrayBuffer();
  });
});

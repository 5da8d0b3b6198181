/**
 * More policy snippets of Azure's public corpus that need only local services, run end to end
 * (the SAP X-CSRF and AAD token snippets run in outbound-policies.test.ts). Each document is read
 * from the corpus in test/fixtures at test time and placed at API scope in an APIOps folder
 * served by one real `gatehouse start` process. Only `{{named values}}` are filled in (the authorizer's URL points at
 * a loopback authorizer). Each test checks what the snippet's comments promise.
 *
 * - "Authorize requests using external authorizer": 401 without Authorization; otherwise the
 *   authorizer is asked once per Authorization value (the answer is cached by
 *   cache-store-value), and its `status` decides between forwarding and 403.
 * - "Extracting multiple values from xml documents": the XML a send-request fetched is read once
 *   into a JObject, whose values a Liquid template writes into the answer.
 * - "Generate Azure Relay Token": the only edit is the one its comment asks for, the relay's
 *   address as `base-url`. A loopback server standing for Azure Relay recomputes the
 *   SharedAccessSignature from the key and accepts only a valid, unexpired one; the token is made
 *   once and then read from the cache.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { corpusDocument, send } from './helpers/expression-snippets-support.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const KEY = 'e2e0outbound0snippets0key0000001';
const AUTHORIZER_KEY = 'authorizer-query-key-7f3a';

/** What a loopback server answers. */
interface LoopbackAnswer {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}

/** A loopback server that records what it received and answers with `answer`. */
interface RecordingServer {
  url: string;
  received: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

async function startRecordingServer(answer: (method: string, url: URL, headers: IncomingHttpHeaders) => LoopbackAnswer): Promise<RecordingServer> {
  const received: RecordingServer['received'] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const out = answer(req.method ?? '', new URL(req.url ?? '/', 'http://loopback'), req.headers);
      res.writeHead(out.status, out.headers ?? {});
      res.end(out.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** The external authorizer: `status` 200 for `Bearer good-*` tokens, 403 for any other; refuses a wrong key. */
const authorizerAnswer = (_method: string, url: URL, headers: IncomingHttpHeaders): LoopbackAnswer => {
  if (url.searchParams.get('key') !== AUTHORIZER_KEY) return { status: 401, body: '{"error":"bad key"}' };
  const status = /^Bearer good-/.test(headers.authorization ?? '') ? 200 : 403;
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) };
};

const RELAY_KEY_NAME = 'gatehouse-send';
const RELAY_KEY = 'cmVsYXkta2V5LWZvci10ZXN0cy0wMDE=';
const EXTRACTED_XML = '<message1><conditionValue>true</conditionValue><value1>MESSAGE1_TEST1</value1><value2>MESSAGE1_TEST2</value2><value3>MESSAGE1_TEST3</value3></message1>';

/**
 * Azure Relay's check of a SharedAccessSignature: `sr` is the URL-encoded resource, `sig` the
 * base64 HMAC-SHA256 of `sr + "\n" + se` with the key named `skn`, `se` the expiry in epoch seconds.
 */
function relayTokenProblem(header: string | undefined, requestUrl: string): string | undefined {
  const m = /^SharedAccessSignature sr=([^&]+)&sig=([^&]+)&se=(\d+)&skn=(.+)$/.exec(header ?? '');
  if (!m) return `not a SharedAccessSignature: ${header}`;
  const [, sr, sig, se, skn] = m as unknown as [string, string, string, string, string];
  if (skn !== RELAY_KEY_NAME) return `unknown key name ${skn}`;
  if (decodeURIComponent(sr) !== requestUrl) return `signed for ${decodeURIComponent(sr)}, not ${requestUrl}`;
  if (Number(se) * 1000 < Date.now()) return 'expired';
  const expected = createHmac('sha256', Buffer.from(RELAY_KEY, 'utf8')).update(`${sr}\n${se}`).digest('base64');
  return decodeURIComponent(sig) === expected ? undefined : 'bad signature';
}

let authorizer: RecordingServer;
let backend: RecordingServer;
let xmlSource: RecordingServer;
let relay: RecordingServer;
let gh: GatehouseProcess;

function configFolder(): string {
  const api = (name: string, serviceUrl: string, operations: Array<[string, string, string]>, policy: string) => ({
    [`apis/${name}/apiInformation.json`]: apiInformation({ displayName: name, path: name, serviceUrl }),
    [`apis/${name}/specification.json`]: openApi(operations.map(([operationId, method, path]) => ({ operationId, method, path }))),
    [`apis/${name}/policy.xml`]: policy,
    [`products/starter/apis/${name}/productApiInformation.json`]: {},
  });
  return writeApiopsFolder({
    'products/starter/productInformation.json': { properties: { displayName: 'Starter', subscriptionRequired: true, state: 'published' } },
    'subscriptions/tester/subscriptionInformation.json': { properties: { displayName: 'Tester', scope: '/products/starter', state: 'active', primaryKey: KEY } },
    'named values/authorizer-url/namedValueInformation.json': {
      properties: { displayName: 'authorizer-url', value: `${authorizer.url}/authorize?key=${AUTHORIZER_KEY}`, secret: true },
    },
    ...api('orders', `${backend.url}/orders-svc`, [['list', 'GET', '/orders']], corpusDocument('Authorize requests using external authorizer.policy.xml')),
    'named values/my-send-request/namedValueInformation.json': { properties: { displayName: 'my-send-request', value: `${xmlSource.url}/message1`, secret: false } },
    ...api('extract', 'http://unused.invalid', [['values', 'GET', '/values']], corpusDocument('Extracting multiple values from xml documents.policy.xml')),
    'named values/accessKey/namedValueInformation.json': { properties: { displayName: 'accessKey', value: RELAY_KEY, secret: true } },
    'named values/accessKeyName/namedValueInformation.json': { properties: { displayName: 'accessKeyName', value: RELAY_KEY_NAME, secret: false } },
    ...api('relay', 'http://unused.invalid', [['echo', 'POST', '/echo']],
      corpusDocument('Generate Azure Relay Token.policy.xml').replace('<set-backend-service base-url="" />', `<set-backend-service base-url="${relay.url}/wcf" />`)),
  });
}

const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  send({ method, url: `${gh.gatewayUrl}${path}`, headers: { 'ocp-apim-subscription-key': KEY, ...headers }, body });

before(async () => {
  authorizer = await startRecordingServer(authorizerAnswer);
  backend = await startRecordingServer(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'orders' }));
  xmlSource = await startRecordingServer(() => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: EXTRACTED_XML }));
  relay = await startRecordingServer((_method, url, headers) => {
    const problem = relayTokenProblem(headers.servicebusauthorization as string | undefined, `${relay.url}${url.pathname}${url.search}`);
    return problem ? { status: 401, body: problem } : { status: 200, headers: { 'content-type': 'application/xml' }, body: '<ok/>' };
  });
  gh = await startGatehouseProcess(['--config', configFolder()]);
});

after(async () => {
  await gh?.stop();
  await Promise.all([authorizer?.close(), backend?.close(), xmlSource?.close(), relay?.close()]);
});

describe('corpus snippet "Authorize requests using external authorizer", run as published', () => {
  it('answers 401 with a Bearer challenge when Authorization is missing, asking nobody', async () => {
    const answer = await call('GET', '/orders/orders');
    assert.equal(answer.status, 401);
    const host = new URL(gh.gatewayUrl).hostname;
    assert.equal(answer.headers['www-authenticate'], `Bearer realm=${host}`);
    assert.equal(authorizer.received.length, 0);
    assert.equal(backend.received.length, 0);
  });

  it('asks the authorizer once per Authorization value, forwards on status 200, and serves the repeat from the cache', async () => {
    const first = await call('GET', '/orders/orders', { authorization: 'Bearer good-alice' });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.text, 'orders');
    assert.equal(authorizer.received.length, 1);
    assert.equal(authorizer.received[0]!.method, 'GET');
    assert.equal(authorizer.received[0]!.headers.authorization, 'Bearer good-alice', 'the snippet forwards the caller\'s Authorization');
    const second = await call('GET', '/orders/orders', { authorization: 'Bearer good-alice' });
    assert.equal(second.status, 200);
    assert.equal(authorizer.received.length, 1, 'the cached status answered the second call');
    assert.equal(backend.received.length, 2);
  });

  it('answers 403 when the authorizer says 403, and caches that too; the backend is never called', async () => {
    const before = backend.received.length;
    const asked = authorizer.received.length;
    const first = await call('GET', '/orders/orders', { authorization: 'Bearer mallory' });
    assert.equal(first.status, 403);
    assert.equal(first.statusText, 'Forbidden');
    const second = await call('GET', '/orders/orders', { authorization: 'Bearer mallory' });
    assert.equal(second.status, 403);
    assert.equal(authorizer.received.length, asked + 1);
    assert.equal(backend.received.length, before);
  });

  it('keeps each Authorization value\'s answer apart: another good token is asked about on its own', async () => {
    const asked = authorizer.received.length;
    const answer = await call('GET', '/orders/orders', { authorization: 'Bearer good-bob' });
    assert.equal(answer.status, 200);
    assert.equal(authorizer.received.length, asked + 1);
  });
});

describe('corpus snippet "Extracting multiple values from xml documents", run as published', () => {
  it('reads the XML a send-request fetched into a JObject and writes its values with a Liquid template', async () => {
    const answer = await call('GET', '/extract/values');
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers['content-type'], 'text/xml');
    assert.equal(answer.text.trim(), '<message3>\n                    <data val1="MESSAGE1_TEST1" val3="MESSAGE1_TEST3" />\n                </message3>');
    assert.deepEqual(xmlSource.received.map((r) => [r.method, r.url, r.headers['content-type']]), [['GET', '/message1', 'text/xml']]);
  });
});

describe('corpus snippet "Generate Azure Relay Token", with the relay address filled in', () => {
  it('sends a valid SharedAccessSignature for the request URL, made once and then served from the cache', async () => {
    const first = await call('POST', '/relay/echo', { 'content-type': 'application/json' }, '{"a":1}');
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers['content-type'], 'application/json', 'the outbound section sets it');
    const second = await call('POST', '/relay/echo', { 'content-type': 'application/json' }, '{"a":2}');
    assert.equal(second.status, 200, second.text);
    // The cached token names the first request's URL, so another resource gets a token the relay
    // refuses: the snippet's own warning to cache one token per resource.
    const other = await call('POST', '/relay/echo?tenant=2', { 'content-type': 'application/json' }, '{"a":3}');
    assert.equal(other.status, 401);
    assert.equal(relay.received.length, 3);
    const [a, b, c] = relay.received;
    assert.equal(a!.headers['content-type'], 'application/xml');
    assert.equal(b!.headers.servicebusauthorization, a!.headers.servicebusauthorization);
    assert.equal(c!.headers.servicebusauthorization, a!.headers.servicebusauthorization, 'the token came from the cache');
  });
});

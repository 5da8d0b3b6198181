/**
 * Issue 14, "Done means" 2: one `gatehouse start --config` process serves a whole folder laid out
 * as Azure's APIOps extractor writes it (test/fixtures/apiops/extractor-full/, every kind the
 * importer reads, references as full ARM ids of the extracted service), with its backends
 * replaced by loopback servers. Through the gateway: SOAP 1.1 and 1.2 requests are routed by
 * their action, a GraphQL query and a WADL operation pass through, a WebSocket echo round-trips,
 * a policy reads the Key Vault named value, and the pool fails over once the first priority
 * group's breaker trips. Through the management API every kind is listed in ARM shape. Then
 * `gatehouse export` gives the folder back, with the differences the export documents.
 *
 * The Key Vault named value needs the loopback vault under its host name (a private /etc/hosts,
 * see helpers/key-vault-process.ts): without root the test skips, under CI=true it fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import WebSocket from 'ws';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';
import { copyFixtureReplacing, filesBelow } from './helpers/fixture-copy.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { keyVaultProcessOptions, keyVaultProcessUnavailable } from './helpers/key-vault-process.js';
import { startLoopbackKeyVault, type LoopbackKeyVault } from './helpers/loopback-key-vault.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { openWebSocket } from './helpers/open-websocket.js';
import { startWebSocketEchoBackend, type WebSocketEchoBackend } from './helpers/websocket-echo-backend.js';

const fixture = new URL('../fixtures/apiops/extractor-full/', import.meta.url).pathname;
const vaultHost = 'contoso.vault.gatehouse.test';
/** The extracted service's id prefix, as the fixture's references spell it. */
const extractedService = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/contoso-apim(?=\/)/i;
const env = { GATEHOUSE_ENCRYPTION_KEY: '', GATEHOUSE_STORE: '' };

const unavailable = keyVaultProcessUnavailable('extractor folder e2e');

/** One SOAP envelope of the calculator service. */
const envelope = (ns: string, op: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="${ns}"><s:Body><${op} xmlns="http://example.org/calculator"><a>1</a><b>2</b></${op}></s:Body></s:Envelope>`;

/** What the echo backend answers: the request it received. */
interface Echoed {
  method: string;
  path: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** `value` with every full id of the extracted service turned into the service-relative form. */
function serviceRelative(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(extractedService, '');
  if (Array.isArray(value)) return value.map(serviceRelative);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serviceRelative(v)]));
  return value;
}

describe('a whole APIOps extractor folder served by one gatehouse start --config', { skip: unavailable, timeout: 240_000 }, () => {
  let echo: EchoBackend;
  let sockets: WebSocketEchoBackend;
  let primary: CountingBackend;
  let standby: CountingBackend;
  let vault: LoopbackKeyVault;
  let folder: string;
  let data: string;
  let gh: GatehouseProcess;
  let call: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;
  /** The primary key `start` generated for the folder's key-less subscription (the extractor writes no keys). */
  let chatKey: string;
  const temp: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'gatehouse-extractor-'));
    temp.push(d);
    return d;
  };

  before(async () => {
    echo = await startEchoBackend();
    sockets = await startWebSocketEchoBackend();
    primary = await startCountingBackend('primary');
    standby = await startCountingBackend('standby');
    vault = await startLoopbackKeyVault(vaultHost, 'https://vault.gatehouse.test');
    vault.secrets.set('backend-key', 'from-the-vault');
    folder = copyFixtureReplacing(fixture, {
      'http://echo.backend.gatehouse.test': echo.url,
      'ws://websocket.backend.gatehouse.test': sockets.url,
      'http://primary.backend.gatehouse.test': primary.url,
      'http://standby.backend.gatehouse.test': standby.url,
      [`https://${vaultHost}`]: vault.vaultUrl,
    });
    temp.push(dirname(folder));
    // The fixture's README describes it; an extractor folder has none.
    rmSync(join(folder, 'README.md'));
    data = tempDir();
    // Info level: the import's "not read" lines for skipped files are info lines.
    gh = await startGatehouseProcess(['--config', folder, '--data', data], keyVaultProcessOptions(vault, vaultHost, { ...env, GATEHOUSE_LOG_LEVEL: 'info' }));
    call = managementClient(gh);
    const generated = gh.stdout.map((l) => /subscription 'chat-subscription' had no keys; generated primary key: (\S+)/.exec(l)).find(Boolean);
    assert.ok(generated, `start printed the generated key:\n${gh.stdout.join('\n')}`);
    chatKey = generated[1]!;
  });
  after(async () => {
    await gh?.stop();
    await Promise.all([echo?.close(), sockets?.close(), primary?.close(), standby?.close(), vault?.close()]);
    for (const d of temp) rmSync(d, { recursive: true, force: true });
  });

  it('reads every file of the folder: nothing skipped, and only the warnings an extract without secrets gives', () => {
    const messages = gh.stderr
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    const skipped = messages.filter((m) => / not read\b| is not served\b| is not an absolute/.test(m.msg));
    assert.deepEqual(skipped, [], 'no file skipped, no stored resource left out, no URL refused');
    assert.deepEqual(messages.filter((m) => m.level >= 40).map((m) => m.msg).sort(), [
      "identityProviders/aad/identityProviderInformation.json: identity provider 'aad' has no clientSecret in the folder; imported without one (set it with the management API)",
      "named values/logger-credentials/namedValueInformation.json: secret named value 'logger-credentials' has no value in the folder; imported with an empty value (set it with the management API)",
    ]);
    assert.ok(gh.stdout.some((l) => /imported into the store \(72 created, 0 updated, 0 unchanged, 0 removed\)/.test(l)), gh.stdout.join('\n'));
  });

  it('routes a SOAP 1.1 request by its SOAPAction and a SOAP 1.2 one by its action parameter', async () => {
    const soap11 = await fetch(`${gh.gatewayUrl}/calculator`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '"http://example.org/calculator/Add"' },
      body: envelope('http://schemas.xmlsoap.org/soap/envelope/', 'Add'),
    });
    assert.equal(soap11.status, 200, await soap11.clone().text());
    const got11 = (await soap11.json()) as Echoed;
    assert.equal(got11.path, '/soap11');
    assert.equal(got11.headers['x-operation'], 'add', 'the Add operation policy ran');
    assert.equal(got11.headers.soapaction, '"http://example.org/calculator/Add"');
    assert.match(got11.body, /<Add xmlns/);
    // The global policy (with a named value) and its policy fragment ran too.
    assert.equal(got11.headers['x-environment'], 'contoso-test');
    assert.equal(got11.headers['x-forwarded-by'], 'gatehouse');

    const soap12 = await fetch(`${gh.gatewayUrl}/calculator12`, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml; charset=utf-8; action="urn:calculator:Subtract12"' },
      body: envelope('http://www.w3.org/2003/05/soap-envelope', 'Subtract'),
    });
    assert.equal(soap12.status, 200, await soap12.clone().text());
    const got12 = (await soap12.json()) as Echoed;
    assert.equal(got12.path, '/soap12');
    assert.equal(got12.headers['x-operation'], 'subtract12', 'the Subtract operation policy of the SOAP 1.2 API ran');

    const unknown = await fetch(`${gh.gatewayUrl}/calculator`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '"http://example.org/calculator/Multiply"' },
      body: envelope('http://schemas.xmlsoap.org/soap/envelope/', 'Multiply'),
    });
    assert.equal(unknown.status, 404);
  });

  it('passes a GraphQL query through to the backend', async () => {
    const query = JSON.stringify({ query: '{ country(code: "NO") { name capital } }' });
    const res = await fetch(`${gh.gatewayUrl}/countries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
    assert.equal(res.status, 200, await res.clone().text());
    const got = (await res.json()) as Echoed;
    assert.deepEqual({ method: got.method, path: got.path, body: got.body }, { method: 'POST', path: '/graphql', body: query });
  });

  it('answers an operation of the WADL API', async () => {
    const res = await fetch(`${gh.gatewayUrl}/orders/orders/42`);
    assert.equal(res.status, 200, await res.clone().text());
    const got = (await res.json()) as Echoed;
    assert.equal(got.path, '/rest/orders/42');
    assert.equal(got.headers['x-operation'], 'getorder', 'the WADL method getOrder is the operation that answered');
  });

  it('round-trips a WebSocket echo, with the onHandshake policy and the generated subscription key', async () => {
    const socket = await openWebSocket(`${gh.gatewayUrl.replace(/^http/, 'ws')}/chat`, { 'Ocp-Apim-Subscription-Key': chatKey });
    assert.ok(socket instanceof WebSocket, JSON.stringify(socket));
    try {
      assert.equal(sockets.handshakes.at(-1)!.headers['x-handshake'], 'onHandshake/Chat subscription');
      socket.send('hello over the gateway');
      const [reply] = (await once(socket, 'message')) as [Buffer];
      assert.equal(reply.toString(), 'echo:hello over the gateway');
    } finally {
      socket.close();
    }
  });

  it('serves the Key Vault named value in a policy', async () => {
    const res = await fetch(`${gh.gatewayUrl}/inventory/v1/vault-secret`, { headers: { 'Ocp-Apim-Subscription-Key': chatKey } });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await res.text(), 'from-the-vault');
    const named = await call('GET', 'namedValues/vault-secret');
    assert.equal(named.body.properties.keyVault.lastStatus.code, 'Success', named.text);
  });

  it('trips the first priority backend\'s breaker on 500s and fails the pool over to the next group', async () => {
    const stock = async () => {
      const res = await fetch(`${gh.gatewayUrl}/inventory/v1/stock`, { headers: { 'Ocp-Apim-Subscription-Key': chatKey } });
      return { status: res.status, body: await res.text(), product: res.headers.get('x-product') };
    };
    assert.deepEqual(await stock(), { status: 200, body: 'primary', product: 'Starter' });
    primary.status = 500;
    assert.deepEqual(await stock(), { status: 500, body: 'primary', product: 'Starter' });
    assert.deepEqual(await stock(), { status: 500, body: 'primary', product: 'Starter' });
    const callsWhenTripped = primary.calls;
    assert.deepEqual(await stock(), { status: 200, body: 'standby', product: 'Starter' });
    assert.deepEqual(await stock(), { status: 200, body: 'standby', product: 'Starter' });
    assert.equal(primary.calls, callsWhenTripped, 'nothing reaches the tripped backend (tripDuration PT1H)');
  });

  it('lists every kind of the folder through the management API, in ARM shape', async () => {
    // Collection → the names it lists (built-in groups included: every service has them).
    const expected: Record<string, string[]> = {
      apis: ['calculator', 'calculator-soap12', 'chat', 'countries', 'inventory', 'inventory-v2', 'orders'],
      'apis/calculator/operations': ['add', 'subtract'],
      'apis/calculator-soap12/operations': ['add', 'subtract'],
      'apis/chat/operations': ['onHandshake'],
      'apis/orders/operations': ['createorder', 'delete-orders-orderid-lines-line', 'getorder', 'listorders'],
      'apis/inventory/operations': ['get-stock', 'read-vault-secret'],
      'apis/countries/schemas': ['graphql'],
      'apis/inventory/schemas': ['stock'],
      'apis/inventory/diagnostics': ['applicationinsights'],
      'apis/inventory/tags': ['warehouse'],
      'apis/inventory/operations/get-stock/tags': ['public'],
      'apis/inventory/policies': ['policy'],
      'apis/inventory/operations/read-vault-secret/policies': ['policy'],
      'apis/calculator/operations/add/policies': ['policy'],
      policies: ['policy'],
      apiVersionSets: ['inventory'],
      products: ['starter', 'unlimited'],
      'products/starter/apis': ['chat', 'inventory'],
      'products/starter/groups': ['developers', 'partners'],
      'products/starter/tags': ['public'],
      'products/starter/policies': ['policy'],
      'products/unlimited/apis': ['orders'],
      subscriptions: ['chat-subscription', 'inventory-only'],
      namedValues: ['environment', 'logger-credentials', 'vault-secret'],
      backends: ['inventory-pool', 'inventory-primary', 'inventory-standby', 'partner'],
      certificates: ['partner-client'],
      policyFragments: ['forward-context'],
      groups: ['administrators', 'developers', 'guests', 'partners'],
      'groups/partners/users': ['alice'],
      users: ['alice'],
      loggers: ['appinsights', 'azuremonitor'],
      diagnostics: ['applicationinsights', 'azuremonitor'],
      tags: ['public', 'warehouse'],
      gateways: ['branch-office'],
      'gateways/branch-office/apis': ['inventory'],
      'gateways/branch-office/hostnameConfigurations': ['default'],
      identityProviders: ['aad'],
      authorizationServers: ['contoso-oauth'],
      openidConnectProviders: ['contoso-oidc'],
    };
    for (const [collection, names] of Object.entries(expected)) {
      const listed = await call('GET', collection);
      assert.equal(listed.status, 200, `${collection}: ${listed.text}`);
      const items = listed.body.value as Array<{ id: string; type: string; name: string; properties: object }>;
      assert.deepEqual(items.map((i) => i.name).sort(), names, collection);
      for (const item of items) {
        assert.match(item.id, /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/gatehouse\//, `${collection}: ${item.id}`);
        assert.ok(item.id.endsWith(`/${item.name}`), `${collection}: ${item.id} ends with its name`);
        assert.match(item.type, /^Microsoft\.ApiManagement\/service\//, `${collection}: ${item.type}`);
        assert.equal(typeof item.properties, 'object', `${collection}/${item.name} has properties`);
      }
    }
  });

  it('gatehouse export gives the folder back, and an export with secrets is byte-stable through a fresh store', async () => {
    const out = join(tempDir(), 'export');
    const exported = await runGatehouse(['export', out, '--data', data], env);
    assert.equal(exported.code, 0, exported.stderr);
    const source = new Map(filesBelow(folder).map((f) => [relative(folder, f), readFileSync(f, 'utf8')]));
    const written = new Map(filesBelow(out).map((f) => [relative(out, f), readFileSync(f, 'utf8')]));
    for (const [path, text] of source) {
      const back = written.get(path);
      assert.ok(back !== undefined, `${path} is exported`);
      if (!path.endsWith('.json')) {
        assert.equal(back, text, `${path} is exported byte for byte`);
        continue;
      }
      // JSON: the export writes keys sorted, fills in what the store defaults (an API's `type`,
      // its subscriptionKeyParameterNames) and writes references service-relative; every
      // property the extractor wrote comes back with its value. Secrets are left out without
      // --export-secrets, as the extractor leaves them out: here only the certificate has any.
      const properties = serviceRelative(JSON.parse(text).properties) as Record<string, unknown>;
      if (path.startsWith('certificates/')) {
        delete properties.data;
        delete properties.password;
      }
      const backProperties = JSON.parse(back).properties as Record<string, unknown>;
      for (const [key, value] of Object.entries(properties)) assert.deepEqual(backProperties[key], value, `${path}: ${key}`);
    }
    // The export adds each operation's operationInformation.json (operations the folder took from
    // its specification), and nothing else.
    const added = [...written.keys()].filter((p) => !source.has(p)).sort();
    for (const path of added) assert.match(path, /^apis\/[^/]+\/operations\/[^/]+\/operationInformation\.json$/, `${path} is an added operation file`);
    assert.equal(added.length, 12, added.join('\n'));

    // The byte-stable rule of the other round-trip test: an export with secrets, imported into a
    // fresh store, exports again byte for byte.
    const first = join(tempDir(), 'with-secrets');
    const firstRun = await runGatehouse(['export', first, '--data', data, '--export-secrets'], env);
    assert.equal(firstRun.code, 0, firstRun.stderr);
    const fresh = tempDir();
    const imported = await runGatehouse(['import', first, '--data', fresh], env);
    assert.equal(imported.code, 0, imported.stderr + imported.stdout);
    const second = join(tempDir(), 'again');
    const secondRun = await runGatehouse(['export', second, '--data', fresh, '--export-secrets'], env);
    assert.equal(secondRun.code, 0, secondRun.stderr);
    const firstFiles = filesBelow(first).map((f) => relative(first, f)).sort();
    assert.deepEqual(filesBelow(second).map((f) => relative(second, f)).sort(), firstFiles);
    for (const path of firstFiles) assert.equal(readFileSync(join(second, path), 'utf8'), readFileSync(join(first, path), 'utf8'), `${path} is byte-identical`);
  });
});

/**
 * Network isolation end to end (issue 4, "Done means"; issue 14 for `--config`): a real
 * `gatehouse start` in a network namespace of its own, serving the store it seeded with the
 * sample or, in `--config` mode, the store an APIOps folder was imported into (which must enforce
 * what the management API changes just the same), clients in "internet", vnet-a (the private endpoint's subnet), vnet-b
 * (peered with vnet-a) and vnet-c (routed, not peered), every step a real HTTP request from the
 * client's namespace, every configuration change made through the management API.
 * Needs root and iproute2; elsewhere it skips with the reason, and under CI=true it fails.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiInformation, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { addresses, createTopology, topologyUnavailableReason, type AgentAnswer, type NamespaceAgent, type Topology } from './helpers/netns-topology.js';

const unavailable = topologyUnavailableReason();
if (unavailable && process.env.CI === 'true') throw new Error(`network isolation e2e cannot run under CI: ${unavailable}`);
if (unavailable) console.log(`# network isolation e2e skipped: ${unavailable}`);

const serviceName = 'apim-e2e';
const token = 'network-e2e-admin-token';
const sub = '00000000-0000-0000-0000-000000000000';
const rg = 'rg-net';
const serviceId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${serviceName}`;
const networkBase = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network`;
const apiVersion = 'api-version=2024-05-01';
const port = 8080;
const managementUrl = `http://${addresses.gatewayPublic}:8081`;
const publicUrl = `http://${addresses.gatewayPublic}:${port}`;
const [injectedAddress, endpointAddress, secondEndpointAddress] = addresses.gatewayInVnetA;

/** The `--config` mode's subscription key (the folder gives it). */
const folderKey = 'network-e2e-folder-subscription-key';
const backendPort = 9090;

/**
 * `--config` mode: the sample is not seeded, so the folder has the sample's shape (an `echo-api`
 * at `/echo` and a subscription to it), forwarding to an echo server in the gateway's namespace.
 */
function isolationFolder(): string {
  return writeApiopsFolder({
    'apis/echo-api/apiInformation.json': apiInformation({ displayName: 'Echo API', path: 'echo', serviceUrl: `http://127.0.0.1:${backendPort}`, subscriptionRequired: true }),
    'apis/echo-api/operations/resource/operationInformation.json': { properties: { displayName: 'Resource', method: 'GET', urlTemplate: '/resource' } },
    'subscriptions/e2e/subscriptionInformation.json': { properties: { displayName: 'e2e', scope: '/apis/echo-api', state: 'active', primaryKey: folderKey } },
  });
}

/** An HTTP server answering 200 on 127.0.0.1:9090 inside the gateway's namespace (what the sample echo server is in the store mode). */
async function startNamespaceBackend(prefix: string[]): Promise<ChildProcess> {
  const script = `require('node:http').createServer((req, res) => { req.resume(); res.end('{"ok":true}'); }).listen(${backendPort}, '127.0.0.1', () => console.log('listening'));`;
  const child = spawn(prefix[0]!, [...prefix.slice(1), process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

// The store mode with one process and with a primary and two workers (listeners bound through
// node:cluster); the `--config` mode with one process.
const modes = [
  { config: false, workers: 1 },
  { config: false, workers: 2 },
  { config: true, workers: 1 },
];
for (const { config, workers } of modes) describe(`network isolation in real network namespaces (${workers} gateway process${workers > 1 ? 'es' : ''}${config ? ', --config' : ''})`, { skip: unavailable, timeout: 180_000 }, () => {
  let topology: Topology;
  let gatehouse: GatehouseProcess;
  let backend: ChildProcess | undefined;
  let key = '';
  const agents = {} as Record<'internet' | 'vnetA' | 'vnetB' | 'vnetC' | 'gateway', NamespaceAgent>;

  const manage = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> => {
    const answer = await agents.gateway.send({
      op: 'request',
      url: `${managementUrl}${path}${path.includes('?') ? '&' : '?'}${apiVersion}`,
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(method === 'PATCH' || method === 'DELETE' ? { 'if-match': '*' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: 10_000,
    });
    assert.equal(answer.error, undefined, `management ${method} ${path}: ${answer.error}`);
    return { status: answer.status!, json: answer.body ? (JSON.parse(answer.body) as Record<string, any>) : {} };
  };
  /** The access log lines printed so far (JSON lines on stdout after the banner). */
  const accessLines = (): Array<Record<string, unknown>> =>
    gatehouse.stdout.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const call = (from: keyof typeof agents, url: string, timeoutMs = 2000): Promise<AgentAnswer> =>
    agents[from].send({ op: 'request', url: `${url}/echo/resource?probe=1`, headers: { 'ocp-apim-subscription-key': key }, timeoutMs });
  /** Polls until `check` holds; resolves with the time it took, rejects after `limitMs`. */
  const within = async (limitMs: number, probe: () => Promise<boolean>): Promise<number> => {
    const started = performance.now();
    while (!(await probe())) {
      if (performance.now() - started > limitMs) throw new Error(`condition not reached within ${limitMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return performance.now() - started;
  };
  /**
   * Puts a marker value in the global policy (after whatever change came before it) and waits
   * until public callers see it on every one of several fresh connections (each worker, under
   * --workers, got one): from then on the gateway serves a configuration at least as new as the
   * changes made before the call.
   */
  const servedAfter = async (marker: string): Promise<void> => {
    const put = await manage('PUT', `${serviceId}/policies/policy`, {
      properties: {
        format: 'rawxml',
        value: `<policies><inbound /><backend><forward-request /></backend><outbound><set-header name="x-marker" exists-action="override"><value>${marker}</value></set-header></outbound><on-error /></policies>`,
      },
    });
    assert.ok(put.status === 200 || put.status === 201, JSON.stringify(put.json));
    let inARow = 0;
    await within(5000, async () => {
      const answer = await agents.internet.send({
        op: 'request',
        url: `${publicUrl}/echo/resource?marker=1`,
        headers: { 'ocp-apim-subscription-key': key, connection: 'close' },
        timeoutMs: 2000,
      });
      inARow = answer.headers?.['x-marker'] === marker ? inARow + 1 : 0;
      return inARow >= 4;
    });
  };
  const connectionFor = async (endpointName: string): Promise<{ name: string; properties: Record<string, any> }> => {
    const list = await manage('GET', `${serviceId}/privateEndpointConnections`);
    assert.equal(list.status, 200);
    const found = (list.json.value as Array<{ name: string; properties: Record<string, any> }>).find((c) =>
      String(c.properties.privateEndpoint.id).toLowerCase().endsWith(`/privateendpoints/${endpointName}`.toLowerCase()),
    );
    assert.ok(found, `no connection for private endpoint ${endpointName}`);
    return found;
  };
  const putEndpoint = (name: string, ip: string, manual: boolean) =>
    manage('PUT', `${networkBase}/privateEndpoints/${name}`, {
      location: 'local',
      properties: {
        subnet: { id: `${networkBase}/virtualNetworks/vnet-a/subnets/default` },
        ipConfigurations: [{ name: 'ipconfig', properties: { groupId: 'Gateway', memberName: 'Gateway', privateIPAddress: ip } }],
        [manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections']: [
          { name: `${name}-link`, properties: { privateLinkServiceId: serviceId, groupIds: ['Gateway'], requestMessage: 'Please approve' } },
        ],
      },
    });

  before(async () => {
    topology = createTopology(`gh${process.pid}w${workers}${config ? 'c' : ''}`);
    if (config) backend = await startNamespaceBackend(topology.gatewayPrefix);
    gatehouse = await startGatehouseProcess(
      [
        '--data', mkdtempSync(join(tmpdir(), 'gatehouse-netns-')),
        '--host', addresses.gatewayPublic,
        '--gateway-port', String(port),
        '--service-name', serviceName,
        '--admin-token', token,
        '--workers', String(workers),
        ...(config ? ['--config', isolationFolder()] : []),
      ],
      { prefix: topology.gatewayPrefix, env: { GATEHOUSE_MANAGEMENT_PORT: '8081', GATEHOUSE_MANAGEMENT_HTTPS_PORT: '8444', GATEHOUSE_ACCESS_LOG: 'stdout' } },
    );
    key = config ? folderKey : (/sample subscription key \(product 'starter'\): (\S+)/.exec(gatehouse.stdout.join('\n'))?.[1] ?? '');
    assert.ok(key, 'the banner names the sample key');
    if (config) assert.doesNotMatch(gatehouse.stdout.join('\n'), /sample API|sample subscription key/, 'no sample is seeded with --config');
    for (const name of ['internet', 'vnetA', 'vnetB', 'vnetC', 'gateway'] as const) agents[name] = await topology.agent(name);
    // Responses say which endpoint the request came through, as policies see it.
    const policy = await manage('PUT', `${serviceId}/apis/echo-api/policies/policy`, {
      properties: {
        format: 'rawxml',
        value:
          '<policies><inbound><base /></inbound><backend><base /></backend><outbound><base />' +
          '<set-header name="x-endpoint" exists-action="override"><value>@(context.Request.PrivateEndpointConnection == null ? "public" : context.Request.PrivateEndpointConnection.Name + "|" + context.Request.PrivateEndpointConnection.GroupId + "|" + context.Request.PrivateEndpointConnection.MemberName)</value></set-header>' +
          '<set-header name="x-client-ip" exists-action="override"><value>@(context.Request.IpAddress)</value></set-header>' +
          '</outbound><on-error><base /></on-error></policies>',
      },
    });
    assert.ok(policy.status === 200 || policy.status === 201, JSON.stringify(policy.json));
    const vnet = (name: string, prefix: string, peers: string[]) =>
      manage('PUT', `${networkBase}/virtualNetworks/${name}`, {
        location: 'local',
        properties: {
          addressSpace: { addressPrefixes: [`${prefix}.0.0/16`] },
          subnets: [{ name: 'default', properties: { addressPrefix: `${prefix}.0.0/24` } }],
          virtualNetworkPeerings: peers.map((peer) => ({
            name: `to-${peer}`,
            properties: { remoteVirtualNetwork: { id: `${networkBase}/virtualNetworks/${peer}` }, allowVirtualNetworkAccess: true },
          })),
        },
      });
    assert.equal((await vnet('vnet-a', '10.1', [])).status, 201);
    assert.equal((await vnet('vnet-b', '10.2', ['vnet-a'])).status, 201);
    assert.equal((await vnet('vnet-a', '10.1', ['vnet-b'])).status, 200);
    assert.equal((await vnet('vnet-c', '10.3', [])).status, 201);
  });

  after(async () => {
    for (const agent of Object.values(agents)) agent.close();
    await gatehouse?.stop();
    backend?.kill();
    topology?.remove();
  });

  it('serves the public endpoint to the internet and shows no private endpoint to policies', async () => {
    // The policy written in before() reaches the gateway through live configuration.
    await within(3000, async () => (await call('internet', publicUrl)).headers?.['x-endpoint'] !== undefined);
    const answer = await call('internet', publicUrl);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers!['x-endpoint'], 'public');
    assert.equal(answer.headers!['x-client-ip'], addresses.internetClient);
  });

  it('refuses to disable public access while no connection is approved', async () => {
    const refused = await manage('PATCH', serviceId, { properties: { publicNetworkAccess: 'Disabled' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.code, 'NotSupported');
    assert.equal(
      refused.json.error.message,
      `Disabling all \`publicNetworkAccess\` for service: ${serviceId} is not supported if the service does not atleast one approved Private Endpoint Connections.`,
    );
  });

  it('keeps a Pending connection unreachable, then serves vnet-a and peered vnet-b within a second of approval, and refuses vnet-c', async () => {
    const created = await putEndpoint('pe-gateway', endpointAddress, true);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const connection = await connectionFor('pe-gateway');
    assert.equal(connection.properties.privateLinkServiceConnectionState.status, 'Pending');
    assert.deepEqual(created.json.properties.customDnsConfigs, [{ fqdn: `${serviceName}.azure-api.net`, ipAddresses: [endpointAddress] }]);
    // Pending: a later change (a marker header) is served only once the gateway applied the
    // configuration that holds the Pending connection, so refusal after it proves nothing listens.
    await servedAfter('pending-connection-stored');
    const refused = await call('vnetA', `http://${endpointAddress}:${port}`);
    assert.equal(refused.error, 'ECONNREFUSED', JSON.stringify(refused));
    const disabling = await manage('PATCH', serviceId, { properties: { publicNetworkAccess: 'Disabled' } });
    assert.equal(disabling.status, 400, 'a Pending connection does not allow disabling public access');

    const approve = await manage('PUT', `${serviceId}/privateEndpointConnections/${connection.name}`, {
      properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved by the e2e test' } },
    });
    assert.equal(approve.status, 200, JSON.stringify(approve.json));
    const took = await within(1000, async () => (await call('vnetA', `http://${endpointAddress}:${port}`, 500)).status === 200);
    assert.ok(took <= 1000, `approval took ${took} ms to reach the gateway`);

    const fromA = await call('vnetA', `http://${endpointAddress}:${port}`);
    assert.equal(fromA.status, 200);
    assert.equal(fromA.headers!['x-endpoint'], `${connection.name}|Gateway|Gateway`);
    assert.equal(fromA.headers!['x-client-ip'], addresses.vnetAClient);
    const fromB = await call('vnetB', `http://${endpointAddress}:${port}`);
    assert.equal(fromB.status, 200, JSON.stringify(fromB));
    assert.equal(fromB.headers!['x-client-ip'], addresses.vnetBClient);
    const fromC = await call('vnetC', `http://${endpointAddress}:${port}`);
    assert.equal(fromC.status, undefined, `vnet-c must not be served: ${JSON.stringify(fromC)}`);
    assert.match(fromC.error ?? '', /ECONNRESET|socket hang up|EPIPE/);
    // The public endpoint is unaffected.
    assert.equal((await call('internet', publicUrl)).status, 200);

    // The access log and the metrics say which endpoint each request came through.
    await within(2000, async () => accessLines().some((l) => l.endpoint === `private:${connection.name}` && l.clientIp === addresses.vnetBClient));
    assert.ok(accessLines().some((l) => l.endpoint === 'public' && l.clientIp === addresses.internetClient));
    const metrics = await agents.gateway.send({ op: 'request', url: `${managementUrl}/metrics`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(metrics.status, 200);
    assert.match(metrics.body!, new RegExp(`gatehouse_requests_total\\{[^}]*endpoint="private:${connection.name.replaceAll('.', '\\.')}"[^}]*\\} \\d+`));
    assert.match(metrics.body!, /gatehouse_requests_total\{[^}]*endpoint="public"[^}]*\} \d+/);
  });

  it('answers public callers with Azure 403 once public access is disabled, while private callers are served', async () => {
    const disabled = await manage('PATCH', serviceId, { properties: { publicNetworkAccess: 'Disabled' } });
    assert.equal(disabled.status, 200, JSON.stringify(disabled.json));
    assert.equal(disabled.json.properties.publicNetworkAccess, 'Disabled');
    await within(1000, async () => (await call('internet', publicUrl)).status === 403);
    const denied = await call('internet', publicUrl);
    assert.deepEqual(JSON.parse(denied.body!), {
      statusCode: 403,
      message:
        `Request originated from client public IP address ${addresses.internetClient}, public network access on this 'Microsoft.ApiManagement/service/${serviceName}' is disabled. ` +
        `To connect to 'Microsoft.ApiManagement/service/${serviceName}', please use the Private Endpoint from inside your virtual network. To learn more https://aka.ms/apim-privateendpoint`,
    });
    assert.equal((await call('vnetA', `http://${endpointAddress}:${port}`)).status, 200);
    assert.equal((await call('vnetB', `http://${endpointAddress}:${port}`)).status, 200);
  });

  it('marks a connection whose address is not on the gateway host Failed, naming the address, and disturbs nothing else', async () => {
    const missing = '10.1.0.77';
    assert.equal((await putEndpoint('pe-missing', missing, false)).status, 201);
    const connection = await connectionFor('pe-missing');
    await within(3000, async () => (await connectionFor('pe-missing')).properties.provisioningState === 'Failed');
    const failed = await connectionFor('pe-missing');
    assert.equal(failed.properties.privateLinkServiceConnectionState.status, 'Approved');
    assert.match(String(failed.properties.privateLinkServiceConnectionState.actionsRequired), new RegExp(missing.replaceAll('.', '\\.')));
    assert.ok(connection.name);
    assert.equal((await call('vnetA', `http://${endpointAddress}:${port}`)).status, 200);
    assert.equal((await manage('DELETE', `${networkBase}/privateEndpoints/pe-missing`)).status, 200);
  });

  it('closes the private address and its open connections when the connection is rejected or deleted', async () => {
    const held = await agents.vnetA.send({ op: 'hold', url: `http://${endpointAddress}:${port}/echo/resource`, headers: { 'ocp-apim-subscription-key': key } });
    assert.equal(held.status, 200);
    assert.equal((await agents.vnetA.send({ op: 'held', handle: held.handle, waitMs: 0 })).open, true);
    const connection = await connectionFor('pe-gateway');
    const reject = await manage('PUT', `${serviceId}/privateEndpointConnections/${connection.name}`, {
      properties: { privateLinkServiceConnectionState: { status: 'Rejected', description: 'No longer needed' } },
    });
    assert.equal(reject.status, 200, JSON.stringify(reject.json));
    await within(1000, async () => (await call('vnetA', `http://${endpointAddress}:${port}`, 500)).error === 'ECONNREFUSED');
    assert.equal((await agents.vnetA.send({ op: 'held', handle: held.handle, waitMs: 1000 })).open, false, 'the keep-alive connection was ended');

    // An auto-approved endpoint serves at once; deleting its connection closes it again.
    assert.equal((await putEndpoint('pe-second', secondEndpointAddress, false)).status, 201);
    await within(1000, async () => (await call('vnetB', `http://${secondEndpointAddress}:${port}`, 500)).status === 200);
    const heldSecond = await agents.vnetB.send({ op: 'hold', url: `http://${secondEndpointAddress}:${port}/echo/resource`, headers: { 'ocp-apim-subscription-key': key } });
    assert.equal(heldSecond.status, 200);
    const second = await connectionFor('pe-second');
    assert.equal((await manage('DELETE', `${serviceId}/privateEndpointConnections/${second.name}`)).status, 200);
    await within(1000, async () => (await call('vnetB', `http://${secondEndpointAddress}:${port}`, 500)).error === 'ECONNREFUSED');
    assert.equal((await agents.vnetB.send({ op: 'held', handle: heldSecond.handle, waitMs: 1000 })).open, false, 'deleting the connection ended its keep-alive connection');
  });

  it('keeps VNet injection and private endpoints mutually exclusive in both directions', async () => {
    const subnetResourceId = `${networkBase}/virtualNetworks/vnet-a/subnets/default`;
    const internal = await manage('PATCH', serviceId, { properties: { virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId } } });
    assert.equal(internal.status, 400, 'private endpoint connections exist');
    assert.match(internal.json.error.message, /mutually exclusive/i);
    for (const endpoint of ['pe-gateway', 'pe-second']) await manage('DELETE', `${networkBase}/privateEndpoints/${endpoint}`);
    const enabled = await manage('PATCH', serviceId, { properties: { publicNetworkAccess: 'Enabled' } });
    assert.equal(enabled.status, 200, JSON.stringify(enabled.json));
    const injected = await manage('PATCH', serviceId, { properties: { virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId } } });
    assert.equal(injected.status, 200, JSON.stringify(injected.json));
    const endpoint = await putEndpoint('pe-refused', endpointAddress, false);
    assert.equal(endpoint.status, 400, 'no private endpoint while the service is injected into a VNet');
    assert.match(endpoint.json.error.message, /mutually exclusive/i);
  });

  it('has no public listener at all in Internal mode, and serves the VNet on the injected address', async () => {
    await within(1000, async () => (await call('internet', publicUrl, 500)).error === 'ECONNREFUSED');
    await within(1000, async () => (await call('vnetA', `http://${injectedAddress}:${port}`, 500)).status === 200);
    const fromA = await call('vnetA', `http://${injectedAddress}:${port}`);
    assert.equal(fromA.headers!['x-endpoint'], 'public', 'VNet traffic comes through no private endpoint');
    assert.equal((await call('vnetB', `http://${injectedAddress}:${port}`)).status, 200, 'peered network');
    assert.equal((await call('vnetC', `http://${injectedAddress}:${port}`)).status, undefined, 'not peered');

    const none = await manage('PATCH', serviceId, { properties: { virtualNetworkType: 'None' } });
    assert.equal(none.status, 200, JSON.stringify(none.json));
    await within(1000, async () => (await call('internet', publicUrl, 500)).status === 200);
    await within(1000, async () => (await call('vnetA', `http://${injectedAddress}:${port}`, 500)).error === 'ECONNREFUSED');
  });

  it('keeps the public listener in External mode and serves the injected address to any source', async () => {
    const subnetResourceId = `${networkBase}/virtualNetworks/vnet-a/subnets/default`;
    const disabled = await manage('PATCH', serviceId, { properties: { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId }, publicNetworkAccess: 'Disabled' } });
    assert.equal(disabled.status, 400, 'public access cannot be disabled with VNet injection');
    const external = await manage('PATCH', serviceId, { properties: { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId } } });
    assert.equal(external.status, 200, JSON.stringify(external.json));
    await within(1000, async () => (await call('vnetC', `http://${injectedAddress}:${port}`, 500)).status === 200);
    assert.equal((await call('vnetA', `http://${injectedAddress}:${port}`)).status, 200);
    assert.equal((await call('internet', publicUrl)).status, 200, 'the public endpoint stays in External mode');
    assert.equal((await manage('PATCH', serviceId, { properties: { virtualNetworkType: 'None' } })).status, 200);
    await within(1000, async () => (await call('vnetC', `http://${injectedAddress}:${port}`, 500)).error === 'ECONNREFUSED');
  });
});

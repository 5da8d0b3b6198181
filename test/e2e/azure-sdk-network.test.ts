/**
 * Issue 4: the real `@azure/arm-apimanagement` SDK drives the service side of Private Link on a
 * real `gatehouse start` over HTTPS: it lists, reads, approves, rejects and deletes private
 * endpoint connections, reads the private link resources, and switches public network access
 * off, which Gatehouse refuses with Azure's words until a connection is approved. The virtual
 * network and the two private endpoints (whose manual connections the service then sees as
 * Pending) are created first through Gatehouse's Microsoft.Network API, as a network team would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import { SdkCallError, startAzureSdk, type AzureSdk } from './helpers/azure-sdk-client.js';
import { startSdkTarget, type SdkTarget } from './helpers/azure-sdk-target.js';

const rg = 'rg-sdk-net';
const subscriptionId = '00000000-0000-0000-0000-0000000000bb';
const serviceArmId = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/gatehouse`;

const networkPath = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network`;
const subnetId = (subnet: string) => `${networkPath}/virtualNetworks/sdk-vnet/subnets/${subnet}`;
const privateEndpointId = (name: string) => `${networkPath}/privateEndpoints/${name}`;

/** PUTs one Microsoft.Network resource over the management API's HTTPS endpoint; returns the body. */
async function putNetworkResource(target: SdkTarget, path: string, body: unknown): Promise<Record<string, unknown>> {
  const dispatcher = new Agent({ connect: { ca: readFileSync(target.caFile) } });
  try {
    const res = await fetch(`${target.managementUrl}${networkPath}/${path}?api-version=2024-05-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher,
    } as RequestInit);
    const answer = (await res.json()) as Record<string, unknown>;
    assert.ok(res.status === 200 || res.status === 201, `PUT ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  } finally {
    await dispatcher.close();
  }
}

/** A network and two private endpoints with manual (so Pending) connections to the service. */
async function createNetwork(target: SdkTarget): Promise<void> {
  await putNetworkResource(target, 'virtualNetworks/sdk-vnet', {
    location: 'local',
    properties: {
      addressSpace: { addressPrefixes: ['10.77.0.0/16'] },
      subnets: [
        { name: 'endpoints', properties: { addressPrefix: '10.77.1.0/24' } },
        { name: 'apim', properties: { addressPrefix: '10.77.2.0/24' } },
      ],
    },
  });
  for (const [name, address] of [['pe-one', '10.77.1.4'], ['pe-two', '10.77.1.5']] as const) {
    await putNetworkResource(target, `privateEndpoints/${name}`, {
      location: 'local',
      properties: {
        subnet: { id: subnetId('endpoints') },
        ipConfigurations: [{ name: 'ip', properties: { groupId: 'Gateway', memberName: 'Gateway', privateIPAddress: address } }],
        manualPrivateLinkServiceConnections: [
          { name: 'link', properties: { privateLinkServiceId: serviceArmId, groupIds: ['Gateway'], requestMessage: 'Please approve my request, thanks' } },
        ],
      },
    });
  }
}

function isArmError(status: number, code: string, message?: string | RegExp): (err: unknown) => boolean {
  return (err: unknown) => {
    if (!(err instanceof SdkCallError) || err.statusCode !== status || err.code !== code) throw err;
    if (typeof message === 'string') assert.ok(err.message.includes(message), err.message);
    else if (message) assert.match(err.message, message);
    return true;
  };
}

describe('the Azure SDK drives Private Link on the service side', () => {
  let target: SdkTarget;
  let sdk: AzureSdk;
  let service: string;
  /** The service-side connection names Gatehouse gave the endpoints (`<endpoint>.<random>`, as Azure does). */
  const connection: Record<'one' | 'two', string> = { one: '', two: '' };

  before(async () => {
    target = await startSdkTarget();
    service = target.serviceName;
    await createNetwork(target);
    sdk = await startAzureSdk({ endpoint: target.managementUrl, token: target.adminToken, caFile: target.caFile, subscriptionId });
  });
  after(async () => {
    await sdk?.close();
    await target?.close();
  });

  it('lists and reads the pending connections (listByService, getByName)', async () => {
    const all = await sdk.call('privateEndpointConnectionOperations', 'listByService', rg, service);
    const names = all.map((c) => c.name!);
    assert.equal(names.length, 2);
    connection.one = names.find((n) => n.startsWith('pe-one.'))!;
    connection.two = names.find((n) => n.startsWith('pe-two.'))!;
    assert.match(connection.one, /^pe-one\.[0-9a-f]+$/);
    assert.match(connection.two, /^pe-two\.[0-9a-f]+$/);
    const one = await sdk.call('privateEndpointConnectionOperations', 'getByName', rg, service, connection.one);
    assert.equal(one.id, `${serviceArmId}/privateEndpointConnections/${connection.one}`);
    assert.equal(one.type, 'Microsoft.ApiManagement/service/privateEndpointConnections');
    assert.equal(one.privateEndpoint?.id, privateEndpointId('pe-one'));
    assert.equal(one.privateLinkServiceConnectionState?.status, 'Pending');
    assert.equal(one.privateLinkServiceConnectionState?.actionsRequired, 'None');
    assert.equal(one.provisioningState, 'Pending');
    await assert.rejects(sdk.call('privateEndpointConnectionOperations', 'getByName', rg, service, 'pe-none'), isArmError(404, 'ResourceNotFound'));
  });

  it('reads the Gateway private link resource (listPrivateLinkResources, getPrivateLinkResource)', async () => {
    const list = await sdk.call('privateEndpointConnectionOperations', 'listPrivateLinkResources', rg, service);
    assert.equal(list.value?.length, 1);
    const gateway = await sdk.call('privateEndpointConnectionOperations', 'getPrivateLinkResource', rg, service, 'Gateway');
    for (const r of [list.value![0]!, gateway]) {
      assert.equal(r.name, 'Gateway');
      assert.equal(r.groupId, 'Gateway');
      assert.deepEqual(r.requiredMembers, ['Gateway']);
      assert.deepEqual(r.requiredZoneNames, ['privateLink.azure-api.net']);
    }
    await assert.rejects(sdk.call('privateEndpointConnectionOperations', 'getPrivateLinkResource', rg, service, 'Portal'), isArmError(404, 'ResourceNotFound'));
  });

  it('refuses to disable public network access before a connection is approved, in Azure words', async () => {
    await assert.rejects(
      sdk.call('apiManagementService', 'beginUpdateAndWait', rg, service, { publicNetworkAccess: 'Disabled' }),
      isArmError(
        400,
        'NotSupported',
        `Disabling all \`publicNetworkAccess\` for service: ${serviceArmId} is not supported if the service does not atleast one approved Private Endpoint Connections.`,
      ),
    );
    const svc = await sdk.call('apiManagementService', 'get', rg, service);
    assert.equal(svc.publicNetworkAccess, 'Enabled');
  });

  it('refuses VNet injection while connections exist', async () => {
    await assert.rejects(
      sdk.call('apiManagementService', 'beginUpdateAndWait', rg, service, {
        virtualNetworkType: 'External',
        virtualNetworkConfiguration: { subnetResourceId: subnetId('apim') },
      }),
      isArmError(400, 'NotSupported', /mutually exclusive/),
    );
  });

  it('approves one connection and rejects the other (beginCreateOrUpdateAndWait); a rejected one stays rejected', async () => {
    const approved = await sdk.call('privateEndpointConnectionOperations', 'beginCreateOrUpdateAndWait', rg, service, connection.one, {
      id: `${serviceArmId}/privateEndpointConnections/${connection.one}`,
      properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved from the SDK' } },
    });
    assert.equal(approved.name, connection.one);
    assert.equal(approved.privateLinkServiceConnectionState?.status, 'Approved');
    assert.equal(approved.privateLinkServiceConnectionState?.description, 'Approved from the SDK');
    assert.equal(approved.privateLinkServiceConnectionState?.actionsRequired, 'None');
    assert.equal(approved.provisioningState, 'Succeeded');
    const rejected = await sdk.call('privateEndpointConnectionOperations', 'beginCreateOrUpdateAndWait', rg, service, connection.two, {
      properties: { privateLinkServiceConnectionState: { status: 'Rejected', description: 'Not this one' } },
    });
    assert.equal(rejected.privateLinkServiceConnectionState?.status, 'Rejected');
    await assert.rejects(
      sdk.call('privateEndpointConnectionOperations', 'beginCreateOrUpdateAndWait', rg, service, connection.two, {
        properties: { privateLinkServiceConnectionState: { status: 'Approved' } },
      }),
      isArmError(400, 'InvalidPrivateEndpointConnectionStateTransition', /cannot be approved again/),
    );
    await assert.rejects(
      sdk.call('privateEndpointConnectionOperations', 'beginCreateOrUpdateAndWait', rg, service, 'pe-invented', {
        properties: { privateLinkServiceConnectionState: { status: 'Approved' } },
      }),
      isArmError(404, 'ResourceNotFound'),
    );
  });

  it('disables public network access once a connection is approved', async () => {
    const svc = await sdk.call('apiManagementService', 'beginUpdateAndWait', rg, service, { publicNetworkAccess: 'Disabled' });
    assert.equal(svc.publicNetworkAccess, 'Disabled');
    assert.deepEqual(svc.privateEndpointConnections?.map((c) => [c.name, c.privateLinkServiceConnectionState?.status]), [
      [connection.one, 'Approved'],
      [connection.two, 'Rejected'],
    ]);
    assert.equal((await sdk.call('apiManagementService', 'get', rg, service)).publicNetworkAccess, 'Disabled');
  });

  it('deletes a connection (beginDeleteAndWait) and leaves the other', async () => {
    await sdk.call('privateEndpointConnectionOperations', 'beginDeleteAndWait', rg, service, connection.two);
    await assert.rejects(sdk.call('privateEndpointConnectionOperations', 'getByName', rg, service, connection.two), isArmError(404, 'ResourceNotFound'));
    const left = await sdk.call('privateEndpointConnectionOperations', 'listByService', rg, service);
    assert.deepEqual(left.map((c) => [c.name, c.privateLinkServiceConnectionState?.status]), [[connection.one, 'Approved']]);
  });
});

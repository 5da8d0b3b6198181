/**
 * Issue 4: the real `@azure/arm-apimanagement` SDK drives the service side of Private Link on a
 * real `gatehouse start` over HTTPS: it lists, reads, approves, rejects and deletes private
 * endpoint connections, reads the private link resources, and switches public network access
 * off, which Gatehouse refuses with Azure's words until a connection is approved. The virtual
 * network, private endpoints and their connections are written into the data folder before the
 * start, as the Microsoft.Network side would have created them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';
import { seedConnection, seedVirtualNetwork, privateEndpointId, subnetId } from '../management/arm/private-link-seed.js';
import { SdkCallError, startAzureSdk, type AzureSdk } from './helpers/azure-sdk-client.js';
import { startSdkTarget, type SdkTarget } from './helpers/azure-sdk-target.js';

const rg = 'rg-sdk-net';
const subscriptionId = '00000000-0000-0000-0000-0000000000bb';
const serviceArmId = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/gatehouse`;

/** A network and two manual (Pending) connections, as private endpoints would leave them. */
async function seed(dataDir: string): Promise<void> {
  const store = await SqliteEntityStore.open({ dataDir });
  try {
    await seedVirtualNetwork(store, 'sdk-vnet', '10.77.0.0/16', { endpoints: '10.77.1.0/24', apim: '10.77.2.0/24' });
    for (const [name, address] of [['pe-one', '10.77.1.4'], ['pe-two', '10.77.1.5']] as const) {
      await seedConnection(store, { name, vnet: 'sdk-vnet', subnet: 'endpoints', address, service: serviceArmId });
    }
  } finally {
    await store.close();
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

  before(async () => {
    target = await startSdkTarget({ seed });
    service = target.serviceName;
    sdk = await startAzureSdk({ endpoint: target.managementUrl, token: target.adminToken, caFile: target.caFile, subscriptionId });
  });
  after(async () => {
    await sdk?.close();
    await target?.close();
  });

  it('lists and reads the pending connections (listByService, getByName)', async () => {
    const all = await sdk.call('privateEndpointConnectionOperations', 'listByService', rg, service);
    assert.deepEqual(all.map((c) => c.name), ['pe-one', 'pe-two']);
    const one = await sdk.call('privateEndpointConnectionOperations', 'getByName', rg, service, 'pe-one');
    assert.equal(one.id, `${serviceArmId}/privateEndpointConnections/pe-one`);
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
        virtualNetworkConfiguration: { subnetResourceId: subnetId('sdk-vnet', 'apim') },
      }),
      isArmError(400, 'NotSupported', /mutually exclusive/),
    );
  });

  it('approves one connection and rejects the other (beginCreateOrUpdateAndWait); a rejected one stays rejected', async () => {
    const approved = await sdk.call('privateEndpointConnectionOperations', 'beginCreateOrUpdateAndWait', rg, service, 'pe-one', {
      id: `${serviceArmId}/privateEndpointConnections/pe-one`,
      properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved from the SDK' } },
    });
    assert.equal(approved.name, 'pe-one');
    assert.equal(approved.privateLinkServiceConnectionState?.status, 'Approved');
    assert.equal(approved.privateLinkServiceConnectionState?.description, 'Approved from the SDK');
    assert.equal(approved.privateLinkServiceConnectionState?.actionsRequired, 'None');
    assert.equal(approved.provisioningState, 'Succeeded');
    const rejected = await sdk.call('privateEndpointConnectionOperations', 'beginCreateOrUpdateAndWait', rg, service, 'pe-two', {
      properties: { privateLinkServiceConnectionState: { status: 'Rejected', description: 'Not this one' } },
    });
    assert.equal(rejected.privateLinkServiceConnectionState?.status, 'Rejected');
    await assert.rejects(
      sdk.call('privateEndpointConnectionOperations', 'beginCreateOrUpdateAndWait', rg, service, 'pe-two', {
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
      ['pe-one', 'Approved'],
      ['pe-two', 'Rejected'],
    ]);
    assert.equal((await sdk.call('apiManagementService', 'get', rg, service)).publicNetworkAccess, 'Disabled');
  });

  it('deletes a connection (beginDeleteAndWait) and leaves the other', async () => {
    await sdk.call('privateEndpointConnectionOperations', 'beginDeleteAndWait', rg, service, 'pe-two');
    await assert.rejects(sdk.call('privateEndpointConnectionOperations', 'getByName', rg, service, 'pe-two'), isArmError(404, 'ResourceNotFound'));
    const left = await sdk.call('privateEndpointConnectionOperations', 'listByService', rg, service);
    assert.deepEqual(left.map((c) => [c.name, c.privateLinkServiceConnectionState?.status]), [['pe-one', 'Approved']]);
  });
});

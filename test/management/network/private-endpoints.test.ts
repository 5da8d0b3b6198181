/**
 * Microsoft.Network private endpoints through the real management handler (real HTTP, real
 * SQLite): Azure's shape, auto-approved and manual connections and the service-side entities
 * they create, address allocation and conflicts, the target/group/VNet-mode/limit refusals
 * (each leaving the store as it was), tags-only replacement, the delete cascade, and subnets
 * that cannot go while an endpoint uses them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectionStoreId, networkKinds } from '../../../src/management/network/network-ids.js';
import type { StoredPrivateEndpointConnection } from '../../../src/management/network/stored-network.js';
import { servicePath, startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { connectionOf, connections, endpointBody, expectRefusal, net, subnetArmId, updateConnection, vnetBody } from './network-harness.js';

const hub = net('virtualNetworks/hub');
const peSubnet = subnetArmId('hub', 'pe');

async function withNetwork(): Promise<ManagementHarness> {
  const h = await startManagement();
  const r = await h.call('PUT', hub, { body: vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24', small: '10.10.2.0/29' }) });
  assert.equal(r.status, 201, r.text);
  return h;
}

describe('Microsoft.Network privateEndpoints: creation and shape', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await withNetwork();
  });
  after(() => h.close());

  it('creates an auto-approved endpoint at the first free address (x.x.x.4) with the service-side connection', async () => {
    const r = await h.call('PUT', net('privateEndpoints/pe-auto'), { body: endpointBody(peSubnet, { tags: { team: 'a' } }), apiVersion: '2023-09-01' });
    assert.equal(r.status, 201, r.text);
    const b = r.body;
    const id = net('privateEndpoints/pe-auto');
    assert.equal(b.id, id);
    assert.equal(b.name, 'pe-auto');
    assert.equal(b.type, 'Microsoft.Network/privateEndpoints');
    assert.match(b.etag, /^W\/".+"$/);
    assert.equal(b.location, 'westeurope');
    assert.deepEqual(b.tags, { team: 'a' });
    assert.equal(b.properties.provisioningState, 'Succeeded');
    assert.deepEqual(b.properties.subnet, { id: peSubnet });
    assert.deepEqual(b.properties.networkInterfaces, []);
    assert.equal(b.properties.ipConfigurations.length, 1);
    assert.deepEqual(b.properties.ipConfigurations[0].properties, { groupId: 'Gateway', memberName: 'Gateway', privateIPAddress: '10.10.1.4' });
    assert.deepEqual(b.properties.customDnsConfigs, [{ fqdn: 'gatehouse.azure-api.net', ipAddresses: ['10.10.1.4'] }]);
    assert.deepEqual(b.properties.manualPrivateLinkServiceConnections, []);
    const [link] = b.properties.privateLinkServiceConnections;
    assert.equal(link.name, 'conn');
    assert.equal(link.id, `${id}/privateLinkServiceConnections/conn`);
    assert.equal(link.type, 'Microsoft.Network/privateEndpoints/privateLinkServiceConnections');
    assert.equal(link.properties.privateLinkServiceId, servicePath);
    assert.deepEqual(link.properties.groupIds, ['Gateway']);
    assert.deepEqual(link.properties.privateLinkServiceConnectionState, { status: 'Approved', description: 'Auto-Approved', actionsRequired: 'None' });

    const name = await connectionOf(h.store, id);
    assert.match(name, /^pe-auto\.[0-9a-f]{8,}$/);
    const entity = await h.store.get(connectionStoreId(name));
    assert.equal(entity?.kind, networkKinds.privateEndpointConnection);
    assert.equal(entity?.parent, '');
    assert.deepEqual(entity?.body, {
      privateEndpointId: id,
      status: 'Approved',
      description: 'Auto-Approved',
      actionsRequired: 'None',
      provisioningState: 'Succeeded',
      groupIds: ['Gateway'],
    } satisfies StoredPrivateEndpointConnection);

    const vnet = await h.call('GET', hub);
    const subnet = vnet.body.properties.subnets.find((s: { name: string }) => s.name === 'pe');
    assert.deepEqual(subnet.properties.privateEndpoints, [{ id }]);
  });

  it('creates a manual endpoint whose connection is Pending with the request message', async () => {
    const r = await h.call('PUT', net('privateEndpoints/pe-manual'), { body: endpointBody(peSubnet, { manual: true, requestMessage: 'Please approve' }) });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.properties.privateLinkServiceConnections, []);
    const [link] = r.body.properties.manualPrivateLinkServiceConnections;
    assert.equal(link.id, `${net('privateEndpoints/pe-manual')}/manualPrivateLinkServiceConnections/conn`);
    assert.equal(link.properties.requestMessage, 'Please approve');
    assert.deepEqual(link.properties.privateLinkServiceConnectionState, { status: 'Pending', description: 'Please approve', actionsRequired: 'None' });
    assert.equal(r.body.properties.ipConfigurations[0].properties.privateIPAddress, '10.10.1.5');
    const entity = (await connections(h.store)).get(await connectionOf(h.store, net('privateEndpoints/pe-manual')))!;
    assert.equal(entity.status, 'Pending');
    assert.equal(entity.provisioningState, 'Pending');
    assert.equal(entity.description, 'Please approve');
    assert.equal(entity.requestMessage, 'Please approve');
  });

  it('reads the connection state live from the service side, Disconnected once the service deleted it', async () => {
    const id = net('privateEndpoints/pe-manual');
    const name = await connectionOf(h.store, id);
    await updateConnection(h.store, name, { status: 'Approved', description: 'ok by owner' });
    let got = await h.call('GET', id);
    assert.deepEqual(got.body.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState, { status: 'Approved', description: 'ok by owner', actionsRequired: 'None' });
    await h.store.transaction('owner', (tx) => tx.delete(connectionStoreId(name)));
    got = await h.call('GET', id);
    assert.equal(got.body.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status, 'Disconnected');
  });

  it('takes a static address and allocates around it', async () => {
    const s = await h.call('PUT', net('privateEndpoints/pe-static'), { body: endpointBody(peSubnet, { ip: '10.10.1.6' }) });
    assert.equal(s.status, 201, s.text);
    assert.equal(s.body.properties.ipConfigurations[0].name, 'ipc');
    assert.equal(s.body.properties.ipConfigurations[0].properties.privateIPAddress, '10.10.1.6');
    const next = await h.call('PUT', net('privateEndpoints/pe-next'), { body: endpointBody(peSubnet) });
    assert.equal(next.body.properties.ipConfigurations[0].properties.privateIPAddress, '10.10.1.7');
  });

  it('lists the endpoints of a resource group', async () => {
    const r = await h.call('GET', net('privateEndpoints'));
    assert.deepEqual(r.body.value.map((e: { name: string }) => e.name), ['pe-auto', 'pe-manual', 'pe-next', 'pe-static']);
    assert.deepEqual((await h.call('GET', net('privateEndpoints', 'elsewhere'))).body, { value: [] });
    assert.equal((await h.call('GET', net('privateEndpoints/ghost'))).status, 404);
  });

  it('refuses addresses outside the subnet, reserved, malformed or taken', async () => {
    const path = net('privateEndpoints/pe-bad');
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { ip: '10.10.3.4' }), 400, 'PrivateIPAddressNotInSubnet', '10.10.1.0/24');
    for (const ip of ['10.10.1.0', '10.10.1.1', '10.10.1.3', '10.10.1.255']) {
      await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { ip }), 400, 'PrivateIPAddressInReservedRange', ip);
    }
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { ip: '10.10.1.4' }), 400, 'PrivateIPAddressIsAllocated', net('privateEndpoints/pe-auto'));
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { ip: 'ten' }), 400, 'InvalidRequestFormat', 'privateIPAddress');
  });

  it('fills a subnet and then refuses with SubnetIsFull', async () => {
    const small = subnetArmId('hub', 'small');
    // 10.10.2.0/29: .0–.3 and .7 are reserved, leaving .4, .5, .6.
    for (const [i, expected] of ['10.10.2.4', '10.10.2.5', '10.10.2.6'].entries()) {
      const r = await h.call('PUT', net(`privateEndpoints/small-${i}`), { body: endpointBody(small) });
      assert.equal(r.body.properties.ipConfigurations[0].properties.privateIPAddress, expected);
    }
    await expectRefusal(h, 'PUT', net('privateEndpoints/small-3'), endpointBody(small), 400, 'SubnetIsFull');
  });

  it('refuses targets other than the hosted service, other groups, and malformed connection lists', async () => {
    const path = net('privateEndpoints/pe-bad');
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { target: `${servicePath}/gateways/edge` }), 400, 'NotSupported', 'self-hosted gateways cannot take private endpoints');
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { target: servicePath.replace('gatehouse', 'other-apim') }), 400, 'NotSupported', 'outbound private endpoints from the gateway are not supported');
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { target: '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st' }), 400, 'NotSupported', 'is not supported');
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { groupIds: ['gateway'] }), 400, 'NotSupported', 'groupId(s) gateway is not supported. Please refer to https://aka.ms/apim-private-link');
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { groupIds: ['Gateway', 'Management'] }), 400, 'NotSupported', 'groupId(s) Gateway,Management is not supported.');
    await expectRefusal(h, 'PUT', path, endpointBody(peSubnet, { groupIds: [] }), 400, 'InvalidRequestFormat', 'groupIds');
    const both = endpointBody(peSubnet) as { properties: Record<string, unknown> };
    both.properties.manualPrivateLinkServiceConnections = both.properties.privateLinkServiceConnections;
    await expectRefusal(h, 'PUT', path, both, 400, 'PrivateEndpointConnectionsInvalid', 'exactly one of');
    const neither = endpointBody(peSubnet) as { properties: Record<string, unknown> };
    delete neither.properties.privateLinkServiceConnections;
    await expectRefusal(h, 'PUT', path, neither, 400, 'PrivateEndpointConnectionsInvalid');
    const two = endpointBody(peSubnet) as { properties: { privateLinkServiceConnections: unknown[] } };
    two.properties.privateLinkServiceConnections.push(two.properties.privateLinkServiceConnections[0]);
    await expectRefusal(h, 'PUT', path, two, 400, 'PrivateEndpointConnectionsInvalid', 'exactly one');
    const wrongMember = endpointBody(peSubnet, { ip: '10.10.1.20' }) as { properties: { ipConfigurations: Array<{ properties: Record<string, string> }> } };
    wrongMember.properties.ipConfigurations[0]!.properties.memberName = 'Other';
    await expectRefusal(h, 'PUT', path, wrongMember, 400, 'NotSupported', 'memberName Other');
    const wrongGroup = endpointBody(peSubnet, { ip: '10.10.1.20' }) as { properties: { ipConfigurations: Array<{ properties: Record<string, string> }> } };
    wrongGroup.properties.ipConfigurations[0]!.properties.groupId = 'Other';
    await expectRefusal(h, 'PUT', path, wrongGroup, 400, 'NotSupported', 'groupId(s) Other');
  });

  it('never gives two endpoints one address, even in networks that do not peer (the gateway binds each on one host)', async () => {
    const twinSubnet = subnetArmId('twin', 'pe', 'rg-twin');
    assert.equal((await h.call('PUT', net('virtualNetworks/twin', 'rg-twin'), { body: vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24' }) })).status, 201);
    await expectRefusal(h, 'PUT', net('privateEndpoints/twin-pe', 'rg-twin'), endpointBody(twinSubnet, { ip: '10.10.1.4' }), 400, 'PrivateIPAddressIsAllocated');
    const r = await h.call('PUT', net('privateEndpoints/twin-pe', 'rg-twin'), { body: endpointBody(twinSubnet) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.properties.ipConfigurations[0].properties.privateIPAddress, '10.10.1.8');
  });

  it('refuses a subnet that does not exist and malformed bodies', async () => {
    const path = net('privateEndpoints/pe-bad');
    await expectRefusal(h, 'PUT', path, endpointBody(subnetArmId('hub', 'ghost')), 400, 'InvalidResourceReference', subnetArmId('hub', 'ghost'));
    await expectRefusal(h, 'PUT', path, endpointBody(subnetArmId('ghost', 'pe')), 400, 'InvalidResourceReference');
    await expectRefusal(h, 'PUT', path, endpointBody(hub), 400, 'InvalidResourceReference');
    await expectRefusal(h, 'PUT', path, { location: 'x', properties: { privateLinkServiceConnections: [] } }, 400, 'InvalidRequestFormat', 'properties.subnet.id');
    await expectRefusal(h, 'PUT', path, { ...endpointBody(peSubnet), properties: { ...(endpointBody(peSubnet).properties as object), applicationSecurityGroups: [] } }, 400, 'InvalidRequestFormat', 'applicationSecurityGroups');
    await expectRefusal(h, 'PUT', net('privateEndpoints/-bad'), endpointBody(peSubnet), 400, 'InvalidResourceName');
  });
});

describe('Microsoft.Network privateEndpoints: replace, delete and subnets in use', () => {
  let h: ManagementHarness;
  const id = net('privateEndpoints/pe1');
  before(async () => {
    h = await withNetwork();
    const r = await h.call('PUT', id, { body: endpointBody(peSubnet, { ip: '10.10.1.10', tags: { a: '1' } }) });
    assert.equal(r.status, 201, r.text);
  });
  after(() => h.close());

  it('replaces tags (200) and keeps the connection', async () => {
    const before = await connections(h.store);
    const r = await h.call('PUT', id, { body: endpointBody(peSubnet, { ip: '10.10.1.10', tags: { a: '2' } }) });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.tags, { a: '2' });
    assert.deepEqual(await connections(h.store), before);
    const got = await h.call('GET', id);
    got.body.tags = { b: '3' };
    const back = await h.call('PUT', id, { body: got.body });
    assert.equal(back.status, 200, back.text);
    assert.deepEqual(back.body.tags, { b: '3' });
  });

  it('refuses changing the subnet, address or connection of an existing endpoint', async () => {
    await h.call('PUT', `${hub}/subnets/second`, { body: { properties: { addressPrefix: '10.10.5.0/24' } } });
    await expectRefusal(h, 'PUT', id, endpointBody(subnetArmId('hub', 'second')), 400, 'PropertyChangeNotAllowed', 'properties.subnet.id');
    await expectRefusal(h, 'PUT', id, endpointBody(peSubnet, { ip: '10.10.1.11' }), 400, 'PropertyChangeNotAllowed', 'privateIPAddress');
    await expectRefusal(h, 'PUT', id, endpointBody(peSubnet, { ip: '10.10.1.10', manual: true }), 400, 'PropertyChangeNotAllowed', 'manualPrivateLinkServiceConnections');
    await expectRefusal(h, 'PUT', id, endpointBody(peSubnet, { ip: '10.10.1.10', requestMessage: 'hi' }), 400, 'PropertyChangeNotAllowed', 'requestMessage');
    await expectRefusal(h, 'PUT', id, { ...endpointBody(peSubnet, { ip: '10.10.1.10' }), location: 'eastus' }, 400, 'PropertyChangeNotAllowed', 'location');
  });

  it('refuses deleting or re-addressing a subnet an endpoint uses, or its network', async () => {
    await expectRefusal(h, 'DELETE', hub, undefined, 400, 'InUseSubnetCannotBeDeleted', id);
    await expectRefusal(h, 'DELETE', `${hub}/subnets/pe`, undefined, 400, 'InUseSubnetCannotBeDeleted', `Subnet pe is in use by ${id}`);
    await expectRefusal(h, 'PUT', hub, vnetBody(['10.10.0.0/16'], { small: '10.10.2.0/29', second: '10.10.5.0/24' }), 400, 'InUseSubnetCannotBeDeleted', id);
    await expectRefusal(h, 'PUT', hub, vnetBody(['10.10.0.0/16'], { pe: '10.10.0.0/23', small: '10.10.2.0/29', second: '10.10.5.0/24' }), 400, 'InUseSubnetCannotBeUpdated');
    await expectRefusal(h, 'PUT', `${hub}/subnets/pe`, { properties: { addressPrefix: '10.10.1.0/25' } }, 400, 'InUseSubnetCannotBeUpdated');
    // A subnet nothing uses can go.
    assert.equal((await h.call('DELETE', `${hub}/subnets/second`)).status, 200);
  });

  it('deletes the endpoint and its service-side connection, then answers 204', async () => {
    const name = await connectionOf(h.store, id);
    const r = await h.call('DELETE', id);
    assert.equal(r.status, 200);
    assert.equal(await h.store.get(connectionStoreId(name)), undefined);
    assert.equal((await h.store.list({ kind: networkKinds.privateEndpoint })).total, 0);
    assert.equal((await h.call('DELETE', id)).status, 204);
    assert.equal((await h.call('GET', id)).status, 404);
    const vnet = await h.call('GET', hub);
    assert.deepEqual(vnet.body.properties.subnets.find((s: { name: string }) => s.name === 'pe').properties.privateEndpoints, []);
    assert.equal((await h.call('DELETE', hub)).status, 200, 'the network is free to go');
  });
});

describe('Microsoft.Network privateEndpoints: what the service allows', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await withNetwork();
  });
  after(() => h.close());

  it('refuses a private endpoint while the service is injected into a virtual network', async () => {
    for (const mode of ['External', 'Internal']) {
      await h.store.transaction('test', async (tx) => {
        const service = await tx.get('service');
        await tx.put({ kind: 'service', id: 'service', parent: '', body: { ...(service?.body ?? {}), virtualNetworkType: mode, virtualNetworkConfiguration: { subnetResourceId: subnetArmId('hub', 'small') } } });
      });
      await expectRefusal(h, 'PUT', net('privateEndpoints/pe'), endpointBody(peSubnet), 400, 'NotSupported', `VNet injection and private endpoints are mutually exclusive`);
    }
    await h.store.transaction('test', async (tx) => {
      const service = await tx.get('service');
      await tx.put({ kind: 'service', id: 'service', parent: '', body: { ...service!.body, virtualNetworkType: 'None' } });
    });
    assert.equal((await h.call('PUT', net('privateEndpoints/pe'), { body: endpointBody(peSubnet) })).status, 201);
  });

  it('refuses the 101st connection of the service', async () => {
    const existing = (await connections(h.store)).size;
    await h.store.transaction('test', async (tx) => {
      for (let i = existing; i < 99; i++) {
        const body: StoredPrivateEndpointConnection = { privateEndpointId: net(`privateEndpoints/seed-${i}`), status: 'Pending', description: '', actionsRequired: 'None', provisioningState: 'Pending', groupIds: ['Gateway'] };
        await tx.put({ kind: networkKinds.privateEndpointConnection, id: connectionStoreId(`seed-${i}.00000000`), parent: '', body: body as unknown as Record<string, unknown> });
      }
    });
    assert.equal((await connections(h.store)).size, 99);
    const hundredth = await h.call('PUT', net('privateEndpoints/pe-100'), { body: endpointBody(peSubnet) });
    assert.equal(hundredth.status, 201, hundredth.text);
    await expectRefusal(h, 'PUT', net('privateEndpoints/pe-101'), endpointBody(peSubnet), 400, 'PrivateEndpointConnectionLimitReached', 'the limit is 100');
  });
});

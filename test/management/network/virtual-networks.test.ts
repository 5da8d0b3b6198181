/**
 * Microsoft.Network virtual networks through the real management handler (real HTTP, real
 * SQLite): routing, auth and api-version, Azure's shapes for networks, subnets and peerings,
 * peering states, the child resources, and every address-layout refusal leaving the store as it was.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { expectRefusal, net, subnetArmId, vnetBody } from './network-harness.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Microsoft.Network routing, authentication and api-version', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
  });
  after(() => h.close());

  it('needs the same bearer token as the API Management paths', async () => {
    const missing = await h.call('GET', net('virtualNetworks'), { auth: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'AuthenticationFailed');
    const wrong = await h.call('GET', net('virtualNetworks'), { auth: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'InvalidAuthenticationToken');
  });

  it('requires api-version with the same error as API Management', async () => {
    const r = await h.call('GET', net('virtualNetworks'), { apiVersion: null });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'MissingApiVersionParameter');
  });

  it("accepts any well-formed dated Microsoft.Network version, including ones newer than API Management's", async () => {
    for (const version of ['2023-09-01', '2024-05-01', '2024-07-01', '2022-01-01-preview']) {
      const r = await h.call('GET', net('virtualNetworks'), { apiVersion: version });
      assert.equal(r.status, 200, `${version}: ${r.text}`);
      assert.deepEqual(r.body, { value: [] });
    }
  });

  it('refuses malformed versions with InvalidApiVersionParameter', async () => {
    for (const version of ['latest', '2024-5-1', '2024-13-01', '2023-02-30', '2024-05-01-beta']) {
      const r = await h.call('GET', net('virtualNetworks'), { apiVersion: version });
      assert.equal(r.status, 400, version);
      assert.equal(r.body.error.code, 'InvalidApiVersionParameter', version);
      assert.ok(r.body.error.message.includes(version));
    }
  });

  it('refuses resource types it does not serve, and paths below them', async () => {
    const r = await h.call('GET', net('networkSecurityGroups'));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'InvalidResourceType');
    const deep = await h.call('GET', net('privateEndpoints/pe/subnets'));
    assert.equal(deep.status, 404);
  });

  it('refuses verbs the resources do not take', async () => {
    const r = await h.call('PATCH', net('virtualNetworks/v'), { body: {} });
    assert.equal(r.status, 405);
    assert.equal(r.body.error.code, 'MethodNotAllowed');
  });
});

describe('Microsoft.Network virtualNetworks', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
  });
  after(() => h.close());

  it('creates a network (201) in ARM shape and replaces it (200) with the same resourceGuid', async () => {
    const created = await h.call('PUT', net('virtualNetworks/hub'), { body: vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24' }, [], { env: 'test' }) });
    assert.equal(created.status, 201, created.text);
    const b = created.body;
    assert.equal(b.id, net('virtualNetworks/hub'));
    assert.equal(b.name, 'hub');
    assert.equal(b.type, 'Microsoft.Network/virtualNetworks');
    assert.match(b.etag, /^W\/".+"$/);
    assert.equal(b.location, 'westeurope');
    assert.deepEqual(b.tags, { env: 'test' });
    assert.equal(b.properties.provisioningState, 'Succeeded');
    assert.match(b.properties.resourceGuid, uuid);
    assert.deepEqual(b.properties.addressSpace, { addressPrefixes: ['10.10.0.0/16'] });
    assert.deepEqual(b.properties.subnets, [
      {
        id: subnetArmId('hub', 'pe'),
        name: 'pe',
        type: 'Microsoft.Network/virtualNetworks/subnets',
        etag: b.etag,
        properties: {
          provisioningState: 'Succeeded',
          addressPrefix: '10.10.1.0/24',
          privateEndpoints: [],
          privateEndpointNetworkPolicies: 'Disabled',
          privateLinkServiceNetworkPolicies: 'Enabled',
        },
      },
    ]);
    assert.deepEqual(b.properties.virtualNetworkPeerings, []);

    const replaced = await h.call('PUT', net('virtualNetworks/hub'), { body: vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24', apps: '10.10.2.0/24' }) });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.properties.resourceGuid, b.properties.resourceGuid);
    assert.notEqual(replaced.body.etag, b.etag);
    assert.deepEqual(replaced.body.tags, {});
    assert.deepEqual(replaced.body.properties.subnets.map((s: { name: string }) => s.name), ['pe', 'apps']);

    const got = await h.call('GET', net('virtualNetworks/HUB'));
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, replaced.body, 'names compare case-insensitively and keep their creation casing');
  });

  it('accepts back what GET returned (read-only and fixed properties)', async () => {
    const got = await h.call('GET', net('virtualNetworks/hub'));
    const again = await h.call('PUT', net('virtualNetworks/hub'), { body: got.body });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body.properties.subnets.map((s: { properties: unknown }) => s.properties), got.body.properties.subnets.map((s: { properties: unknown }) => s.properties));
  });

  it('answers 404 for a network that does not exist', async () => {
    const r = await h.call('GET', net('virtualNetworks/ghost'));
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'ResourceNotFound');
    assert.ok(r.body.error.message.includes('Microsoft.Network/virtualNetworks/ghost'));
  });

  it('lists the networks of one resource group', async () => {
    await h.call('PUT', net('virtualNetworks/other', 'rg-other'), { body: vnetBody(['10.99.0.0/16']) });
    const r = await h.call('GET', net('virtualNetworks'));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.value.map((v: { name: string }) => v.name), ['hub']);
    const other = await h.call('GET', net('virtualNetworks', 'RG-OTHER'));
    assert.deepEqual(other.body.value.map((v: { id: string }) => v.id), [net('virtualNetworks/other', 'rg-other')]);
  });

  it('deletes a network (200), then answers 204 as ARM does', async () => {
    await h.call('PUT', net('virtualNetworks/temp'), { body: vnetBody(['10.50.0.0/16']) });
    const first = await h.call('DELETE', net('virtualNetworks/temp'));
    assert.equal(first.status, 200);
    const second = await h.call('DELETE', net('virtualNetworks/temp'));
    assert.equal(second.status, 204);
    assert.equal((await h.call('GET', net('virtualNetworks/temp'))).status, 404);
  });

  it('serves subnets as child resources that edit the parent', async () => {
    const created = await h.call('PUT', net('virtualNetworks/hub/subnets/extra'), { body: { properties: { addressPrefix: '10.10.3.0/24' } } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.id, subnetArmId('hub', 'extra'));
    assert.equal(created.body.type, 'Microsoft.Network/virtualNetworks/subnets');
    assert.equal(created.body.properties.addressPrefix, '10.10.3.0/24');
    const replaced = await h.call('PUT', net('virtualNetworks/hub/subnets/EXTRA'), { body: { properties: { addressPrefix: '10.10.4.0/24' } } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.name, 'extra', 'keeps the casing of creation');
    const one = await h.call('GET', net('virtualNetworks/hub/subnets/extra'));
    assert.equal(one.body.properties.addressPrefix, '10.10.4.0/24');
    const list = await h.call('GET', net('virtualNetworks/hub/subnets'));
    assert.deepEqual(list.body.value.map((s: { name: string }) => s.name), ['pe', 'apps', 'extra']);
    const parent = await h.call('GET', net('virtualNetworks/hub'));
    assert.ok(parent.body.properties.subnets.some((s: { name: string }) => s.name === 'extra'));
    assert.equal((await h.call('DELETE', net('virtualNetworks/hub/subnets/extra'))).status, 200);
    assert.equal((await h.call('DELETE', net('virtualNetworks/hub/subnets/extra'))).status, 204);
    const missing = await h.call('GET', net('virtualNetworks/hub/subnets/extra'));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NotFound');
    const noParent = await h.call('GET', net('virtualNetworks/ghost/subnets'));
    assert.equal(noParent.status, 404);
  });

  it('refuses bad virtual network bodies and changes nothing', async () => {
    const path = net('virtualNetworks/hub');
    await expectRefusal(h, 'PUT', path, 'nope', 400, 'InvalidRequestContent');
    await expectRefusal(h, 'PUT', path, undefined, 400, 'InvalidRequestFormat');
    await expectRefusal(h, 'PUT', path, { location: 'x', properties: {} }, 400, 'InvalidRequestFormat', 'addressPrefixes');
    await expectRefusal(h, 'PUT', path, vnetBody([]), 400, 'InvalidRequestFormat', 'addressPrefixes');
    await expectRefusal(h, 'PUT', path, vnetBody(['10.10.0/16']), 400, 'InvalidAddressPrefixFormat', '10.10.0/16');
    await expectRefusal(h, 'PUT', path, vnetBody(['10.10.0.0']), 400, 'InvalidAddressPrefixFormat');
    await expectRefusal(h, 'PUT', path, vnetBody(['10.10.0.0/33']), 400, 'InvalidAddressPrefixFormat');
    await expectRefusal(h, 'PUT', path, vnetBody(['10.10.5.0/16']), 400, 'InvalidCIDRNotation', 'should be 10.10.0.0/16');
    await expectRefusal(h, 'PUT', path, vnetBody(['10.10.0.0/16', '10.10.128.0/17']), 400, 'VirtualNetworkAddressSpaceOverlaps');
    await expectRefusal(h, 'PUT', path, vnetBody(['10.10.0.0/16'], { a: '10.11.0.0/24' }), 400, 'NetcfgSubnetRangeOutsideVnet', "Subnet 'a'");
    await expectRefusal(h, 'PUT', path, vnetBody(['10.10.0.0/16'], { a: '10.10.0.0/24', b: '10.10.0.128/25' }), 400, 'NetcfgSubnetRangesOverlap', "subnet 'a'");
    await expectRefusal(h, 'PUT', path, { ...vnetBody(['10.10.0.0/16']), properties: { addressSpace: { addressPrefixes: ['10.10.0.0/16'] }, subnets: [{ name: 'a', properties: { addressPrefix: '10.10.1.0/24' } }, { name: 'A', properties: { addressPrefix: '10.10.2.0/24' } }] } }, 400, 'DuplicateResourceName');
    await expectRefusal(h, 'PUT', path, { ...vnetBody(['10.10.0.0/16']), properties: { addressSpace: { addressPrefixes: ['10.10.0.0/16'] }, dhcpOptions: {} } }, 400, 'InvalidRequestFormat', 'properties.dhcpOptions');
    await expectRefusal(h, 'PUT', path, { ...vnetBody(['10.10.0.0/16']), properties: { addressSpace: { addressPrefixes: ['10.10.0.0/16'] }, enableDdosProtection: true } }, 400, 'UnsupportedProperty');
    await expectRefusal(h, 'PUT', path, { ...vnetBody(['10.10.0.0/16']), tags: { a: 1 } }, 400, 'InvalidRequestFormat', 'tags.a');
    await expectRefusal(h, 'PUT', path, { ...vnetBody(['10.10.0.0/16']), sku: 'x' }, 400, 'InvalidRequestFormat', "'sku'");
    await expectRefusal(h, 'PUT', net('virtualNetworks/bad name!'), vnetBody(['10.60.0.0/16']), 400, 'InvalidResourceName');
    await expectRefusal(h, 'PUT', net('virtualNetworks/hub/subnets/out'), { properties: { addressPrefix: '10.20.0.0/24' } }, 400, 'NetcfgSubnetRangeOutsideVnet');
    await expectRefusal(h, 'PUT', net('virtualNetworks/hub/subnets/clash'), { properties: { addressPrefix: '10.10.1.0/25' } }, 400, 'NetcfgSubnetRangesOverlap');
    await expectRefusal(h, 'PUT', net('virtualNetworks/hub/subnets/none'), { properties: {} }, 400, 'InvalidRequestFormat', 'addressPrefix');
    await expectRefusal(h, 'PUT', net('virtualNetworks/ghost/subnets/s'), { properties: { addressPrefix: '10.0.0.0/24' } }, 404, 'ResourceNotFound');
  });

  it('refuses shrinking the address space so that a subnet falls outside', async () => {
    await expectRefusal(h, 'PUT', net('virtualNetworks/hub'), vnetBody(['10.10.0.0/24'], { pe: '10.10.1.0/24', apps: '10.10.2.0/24' }), 400, 'NetcfgSubnetRangeOutsideVnet', "Subnet 'pe'");
  });
});

describe('Microsoft.Network virtual network peerings', () => {
  let h: ManagementHarness;
  const hub = net('virtualNetworks/hub');
  const spoke = net('virtualNetworks/spoke', 'rg-spoke');
  before(async () => {
    h = await startManagement();
    await h.call('PUT', hub, { body: vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24' }) });
    await h.call('PUT', spoke, { body: vnetBody(['10.20.0.0/16', '10.21.0.0/16']) });
  });
  after(() => h.close());

  const peeringOf = async (vnet: string, name: string): Promise<Record<string, any>> => {
    const r = await h.call('GET', `${vnet}/virtualNetworkPeerings/${name}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  it('is Initiated while only one side exists, with the remote address space', async () => {
    const r = await h.call('PUT', hub, { body: vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24' }, [{ name: 'to-spoke', remote: spoke.toUpperCase() }]) });
    assert.equal(r.status, 200, r.text);
    const p = r.body.properties.virtualNetworkPeerings[0];
    assert.equal(p.id, `${hub}/virtualNetworkPeerings/to-spoke`);
    assert.equal(p.type, 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings');
    assert.equal(p.properties.peeringState, 'Initiated');
    assert.equal(p.properties.provisioningState, 'Succeeded');
    assert.equal(p.properties.allowVirtualNetworkAccess, true, 'defaults to true');
    assert.deepEqual(p.properties.remoteVirtualNetwork, { id: spoke }, 'stored in the remote network’s casing');
    assert.deepEqual(p.properties.remoteAddressSpace, { addressPrefixes: ['10.20.0.0/16', '10.21.0.0/16'] });
  });

  it('is Connected on both sides once the remote peers back (child resource PUT)', async () => {
    const r = await h.call('PUT', `${spoke}/virtualNetworkPeerings/to-hub`, { body: { properties: { remoteVirtualNetwork: { id: hub }, allowVirtualNetworkAccess: false, allowForwardedTraffic: false } } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.properties.peeringState, 'Connected');
    assert.equal(r.body.properties.allowVirtualNetworkAccess, false);
    assert.equal((await peeringOf(hub, 'to-spoke')).properties.peeringState, 'Connected');
    const list = await h.call('GET', `${spoke}/virtualNetworkPeerings`);
    assert.deepEqual(list.body.value.map((p: { name: string }) => p.name), ['to-hub']);
    const replaced = await h.call('PUT', `${spoke}/virtualNetworkPeerings/to-hub`, { body: { properties: { remoteVirtualNetwork: { id: hub } } } });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.properties.allowVirtualNetworkAccess, true);
  });

  it('turns back to Initiated when the remote peering is removed, and Disconnected when the remote network is gone', async () => {
    assert.equal((await h.call('DELETE', `${spoke}/virtualNetworkPeerings/to-hub`)).status, 200);
    assert.equal((await peeringOf(hub, 'to-spoke')).properties.peeringState, 'Initiated');
    assert.equal((await h.call('DELETE', spoke)).status, 200);
    const p = await peeringOf(hub, 'to-spoke');
    assert.equal(p.properties.peeringState, 'Disconnected');
    assert.equal(p.properties.remoteAddressSpace, undefined);
    // The Disconnected peering can be sent back unchanged.
    const got = await h.call('GET', hub);
    assert.equal((await h.call('PUT', hub, { body: got.body })).status, 200);
  });

  it('refuses peering to a missing network, to itself, or across overlapping address spaces', async () => {
    const ghost = net('virtualNetworks/ghost');
    await expectRefusal(h, 'PUT', `${hub}/virtualNetworkPeerings/to-ghost`, { properties: { remoteVirtualNetwork: { id: ghost } } }, 400, 'InvalidResourceReference', ghost);
    await expectRefusal(h, 'PUT', `${hub}/virtualNetworkPeerings/self`, { properties: { remoteVirtualNetwork: { id: hub } } }, 400, 'CannotPeerVirtualNetworkWithItself');
    await expectRefusal(h, 'PUT', `${hub}/virtualNetworkPeerings/bad`, { properties: { remoteVirtualNetwork: { id: '/subscriptions/s/whatever' } } }, 400, 'InvalidRequestFormat');
    await expectRefusal(h, 'PUT', `${hub}/virtualNetworkPeerings/bad`, { properties: {} }, 400, 'InvalidRequestFormat', 'remoteVirtualNetwork.id');
    await expectRefusal(h, 'PUT', `${hub}/virtualNetworkPeerings/bad`, { properties: { remoteVirtualNetwork: { id: hub }, useRemoteGateways: true } }, 400, 'UnsupportedProperty');
    const overlapping = net('virtualNetworks/overlap');
    assert.equal((await h.call('PUT', overlapping, { body: vnetBody(['10.10.128.0/17']) })).status, 201);
    await expectRefusal(h, 'PUT', `${hub}/virtualNetworkPeerings/to-overlap`, { properties: { remoteVirtualNetwork: { id: overlapping } } }, 400, 'VnetAddressSpacesOverlap', '10.10.0.0/16, 10.10.128.0/17');
    await expectRefusal(h, 'PUT', overlapping, vnetBody(['10.10.128.0/17'], {}, [{ name: 'to-hub', remote: hub }]), 400, 'VnetAddressSpacesOverlap');
  });

  it('refuses changing an address space to overlap a network that peers with it', async () => {
    const far = net('virtualNetworks/far');
    assert.equal((await h.call('PUT', far, { body: vnetBody(['10.30.0.0/16']) })).status, 201);
    assert.equal((await h.call('PUT', `${hub}/virtualNetworkPeerings/to-far`, { body: { properties: { remoteVirtualNetwork: { id: far } } } })).status, 201);
    await expectRefusal(h, 'PUT', far, vnetBody(['10.10.0.0/15']), 400, 'VnetAddressSpacesOverlap', 'hub');
  });
});

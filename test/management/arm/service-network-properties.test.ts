/**
 * The service's network properties through the real management handler over a real SQLite store
 * (reference §6.1, issue 4 §1): public network access, VNet injection, their rules, and how the
 * service renders its connections and addresses. Every refusal leaves the store as it was.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { servicePath, startManagement, storeState, type ArmReply, type ManagementHarness } from './arm-harness.js';
import { privateEndpointId, seedConnection, seedVirtualNetwork, subnetId } from './private-link-seed.js';

const disabledMessage = `Disabling all \`publicNetworkAccess\` for service: ${servicePath} is not supported if the service does not atleast one approved Private Endpoint Connections.`;

function patch(h: ManagementHarness, properties: Record<string, unknown>): Promise<ArmReply> {
  return h.call('PATCH', '', { body: { properties } });
}

/** Sends a PATCH that must be refused, and checks that nothing was written. */
async function refused(h: ManagementHarness, properties: Record<string, unknown>, status = 400): Promise<ArmReply> {
  const before = { state: await storeState(h.store), version: await h.store.version() };
  const r = await patch(h, properties);
  assert.equal(r.status, status, r.text);
  assert.deepEqual(await storeState(h.store), before.state, 'a refusal changes nothing');
  assert.equal(await h.store.version(), before.version, 'a refusal bumps no version');
  return r;
}

describe('service network properties', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    await seedVirtualNetwork(h.store, 'hub', '10.9.0.0/16', { apim: '10.9.1.0/24', endpoints: '10.9.2.0/24' });
  });
  after(() => h.close());

  it('renders the defaults: public, no VNet, no connections, no addresses', async () => {
    const r = await h.call('GET', '');
    assert.equal(r.status, 200);
    const p = r.body.properties;
    assert.equal(p.publicNetworkAccess, 'Enabled');
    assert.equal(p.virtualNetworkType, 'None');
    assert.equal(p.virtualNetworkConfiguration, null);
    assert.deepEqual(p.privateEndpointConnections, []);
    assert.equal(p.privateIPAddresses, null);
    assert.equal(p.publicIPAddresses, null);
  });

  it("refuses a publicNetworkAccess that is neither 'Enabled' nor 'Disabled' with the spec's wording", async () => {
    const r = await refused(h, { publicNetworkAccess: 'Sometimes' });
    assert.equal(r.body.error.code, 'ValidationError');
    assert.deepEqual(r.body.error.details, [
      { code: 'ValidationError', target: 'publicNetworkAccess', message: "Value is optional but if passed in, must be 'Enabled' or 'Disabled'." },
    ]);
    await refused(h, { publicNetworkAccess: false });
  });

  it('refuses to disable public access without an approved connection, in Azure words', async () => {
    const none = await refused(h, { publicNetworkAccess: 'Disabled' });
    assert.equal(none.body.error.code, 'NotSupported');
    assert.equal(none.body.error.message, disabledMessage);
    await seedConnection(h.store, { name: 'pe-pending', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.4' });
    await seedConnection(h.store, { name: 'pe-rejected', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.5', status: 'Rejected' });
    const notApproved = await refused(h, { publicNetworkAccess: 'disabled' });
    assert.equal(notApproved.body.error.message, disabledMessage);
  });

  it('refuses VNet injection while private endpoint connections exist, whatever their status', async () => {
    const r = await refused(h, { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnetId('hub', 'apim') } });
    assert.equal(r.body.error.code, 'NotSupported');
    assert.match(r.body.error.message, /Virtual network injection \(virtualNetworkType 'External'\) and private endpoints are mutually exclusive/);
    assert.match(r.body.error.message, /2 private endpoint connection\(s\) \(pe-pending, pe-rejected\)/);
  });

  it('disables public access once a connection is approved, and lists the connections as their GET renders them', async () => {
    const approve = await h.call('PUT', 'privateEndpointConnections/pe-pending', {
      body: { properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } } },
    });
    assert.equal(approve.status, 200, approve.text);
    const r = await patch(h, { publicNetworkAccess: 'disabled' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.publicNetworkAccess, 'Disabled');
    const got = await h.call('GET', '');
    assert.equal(got.body.properties.publicNetworkAccess, 'Disabled');
    const listed = got.body.properties.privateEndpointConnections;
    assert.deepEqual(listed.map((c: { name: string }) => c.name), ['pe-pending', 'pe-rejected']);
    assert.deepEqual(listed[0], (await h.call('GET', 'privateEndpointConnections/pe-pending')).body);
    assert.deepEqual(listed[0], {
      id: `${servicePath}/privateEndpointConnections/pe-pending`,
      name: 'pe-pending',
      type: 'Microsoft.ApiManagement/service/privateEndpointConnections',
      properties: {
        provisioningState: 'Succeeded',
        privateEndpoint: { id: privateEndpointId('pe-pending') },
        privateLinkServiceConnectionState: { status: 'Approved', description: 'ok', actionsRequired: 'None' },
      },
    });
    // A PATCH of other settings keeps the network state and runs no network rule.
    const other = await patch(h, { publisherName: 'Network team' });
    assert.equal(other.status, 200, other.text);
    assert.equal(other.body.properties.publicNetworkAccess, 'Disabled');
    const enabled = await patch(h, { publicNetworkAccess: 'Enabled' });
    assert.equal(enabled.body.properties.publicNetworkAccess, 'Enabled');
  });
});

describe('service VNet injection', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    await seedVirtualNetwork(h.store, 'Spoke', '10.20.0.0/16', { Apim: '10.20.1.0/24' });
    await h.call('GET', ''); // seeds the built-ins before the first refusal is measured
  });
  after(() => h.close());

  it('requires an existing subnet for External and Internal', async () => {
    const missing = await refused(h, { virtualNetworkType: 'External' });
    assert.equal(missing.body.error.details[0].target, 'virtualNetworkConfiguration.subnetResourceId');
    assert.match(missing.body.error.details[0].message, /required when virtualNetworkType is 'External'/);
    const malformed = await refused(h, { virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId: '/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/Spoke' } });
    assert.match(malformed.body.error.details[0].message, /is not a subnet resource id/);
    const noVnet = await refused(h, { virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId: subnetId('nowhere', 'Apim') } });
    assert.match(noVnet.body.error.details[0].message, /Virtual network 'nowhere' of subnet .* was not found/);
    const noSubnet = await refused(h, { virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId: subnetId('Spoke', 'other') } });
    assert.equal(noSubnet.body.error.details[0].message, "Subnet 'other' was not found in virtual network 'Spoke'.");
    const empty = await refused(h, { virtualNetworkType: 'Internal', virtualNetworkConfiguration: {} });
    assert.equal(empty.body.error.details[0].target, 'virtualNetworkConfiguration.subnetResourceId');
    await refused(h, { virtualNetworkType: 'Sideways', virtualNetworkConfiguration: { subnetResourceId: subnetId('Spoke', 'Apim') } });
  });

  it('refuses Disabled public access together with VNet injection', async () => {
    const r = await refused(h, { publicNetworkAccess: 'Disabled', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnetId('Spoke', 'Apim') } });
    assert.equal(r.body.error.code, 'NotSupported');
    assert.match(r.body.error.message, /can only be disabled in API Management instances configured with a private endpoint/);
  });

  it('injects the service into the subnet (ids in any casing) and renders the configuration', async () => {
    const given = subnetId('spoke', 'apim').replace('/virtualNetworks/', '/VIRTUALNETWORKS/');
    const r = await patch(h, { virtualNetworkType: 'internal', virtualNetworkConfiguration: { subnetResourceId: given, vnetid: 'ignored', subnetname: 'ignored' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.virtualNetworkType, 'Internal');
    assert.deepEqual(r.body.properties.virtualNetworkConfiguration, {
      subnetResourceId: subnetId('Spoke', 'Apim'),
      vnetid: '/subscriptions/sub1/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/Spoke',
      subnetname: 'Apim',
    });
    const stored = await h.store.get('service');
    assert.deepEqual(stored?.body.virtualNetworkConfiguration, { subnetResourceId: subnetId('Spoke', 'Apim') });
    const external = await patch(h, { virtualNetworkType: 'External' });
    assert.equal(external.status, 200, external.text);
    assert.equal(external.body.properties.virtualNetworkConfiguration.subnetname, 'Apim');
  });

  it('refuses to disable public access of an injected service', async () => {
    const r = await refused(h, { publicNetworkAccess: 'Disabled' });
    assert.equal(r.body.error.code, 'NotSupported');
  });

  it('leaves the VNet with None, rendering no configuration', async () => {
    const r = await patch(h, { virtualNetworkType: 'None', virtualNetworkConfiguration: null });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.virtualNetworkType, 'None');
    assert.equal(r.body.properties.virtualNetworkConfiguration, null);
    assert.equal((await h.store.get('service'))?.body.virtualNetworkConfiguration, undefined);
  });
});

describe('service addresses', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement({ endpoints: { publicIPAddresses: ['127.0.0.1'], privateIPAddresses: ['10.9.2.4', '10.9.2.6'] } });
  });
  after(() => h.close());

  it('renders the addresses the process serves on', async () => {
    const r = await h.call('GET', '');
    assert.deepEqual(r.body.properties.publicIPAddresses, ['127.0.0.1']);
    assert.deepEqual(r.body.properties.privateIPAddresses, ['10.9.2.4', '10.9.2.6']);
  });
});

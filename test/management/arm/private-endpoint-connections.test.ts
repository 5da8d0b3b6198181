/**
 * The service side of Private Link through the real management handler over a real SQLite store
 * (reference §6.2, issue 4 §3): listing, reading, approving, rejecting and deleting private
 * endpoint connections with Private Link's state rules, and the read-only private link
 * resources. Every refusal leaves the store as it was.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { servicePath, startManagement, storeState, type ArmReply, type ManagementHarness, type RequestOptions } from './arm-harness.js';
import { privateEndpointId, seedConnection, seedVirtualNetwork } from './private-link-seed.js';

const gatewayResource = {
  id: `${servicePath}/privateLinkResources/Gateway`,
  name: 'Gateway',
  type: 'Microsoft.ApiManagement/service/privateLinkResources',
  properties: { groupId: 'Gateway', requiredMembers: ['Gateway'], requiredZoneNames: ['privateLink.azure-api.net'] },
};

function setState(h: ManagementHarness, name: string, state: Record<string, unknown>, headers?: Record<string, string>): Promise<ArmReply> {
  return h.call('PUT', `privateEndpointConnections/${name}`, { body: { id: `${servicePath}/privateEndpointConnections/${name}`, properties: { privateLinkServiceConnectionState: state } }, headers });
}

/** Sends a request that must be refused with `status`, and checks that nothing was written. */
async function refused(h: ManagementHarness, method: string, path: string, options: RequestOptions, status: number): Promise<ArmReply> {
  const before = { state: await storeState(h.store), version: await h.store.version() };
  const r = await h.call(method, path, options);
  assert.equal(r.status, status, r.text);
  assert.deepEqual(await storeState(h.store), before.state, 'a refusal changes nothing');
  assert.equal(await h.store.version(), before.version, 'a refusal bumps no version');
  return r;
}

function approve(description?: string): RequestOptions {
  return { body: { properties: { privateLinkServiceConnectionState: { status: 'Approved', ...(description ? { description } : {}) } } } };
}

describe('private endpoint connections', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    await h.call('GET', ''); // seeds the built-ins before the first refusal is measured
  });
  after(() => h.close());

  it('lists nothing before a private endpoint targets the service', async () => {
    const r = await h.call('GET', 'privateEndpointConnections');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.value, []);
  });

  it('lists and reads connections in the shape of the Azure examples', async () => {
    await seedVirtualNetwork(h.store, 'hub', '10.9.0.0/16', { endpoints: '10.9.2.0/24' });
    await seedConnection(h.store, { name: 'pe-a', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.4' });
    await seedConnection(h.store, { name: 'pe-b', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.5' });
    const list = await h.call('GET', 'privateEndpointConnections');
    assert.deepEqual(list.body.value.map((c: { name: string }) => c.name), ['pe-a', 'pe-b']);
    const got = await h.call('GET', 'privateEndpointConnections/PE-A');
    assert.equal(got.status, 200);
    assert.ok(got.headers.get('etag'));
    assert.deepEqual(got.body, {
      id: `${servicePath}/privateEndpointConnections/pe-a`,
      type: 'Microsoft.ApiManagement/service/privateEndpointConnections',
      name: 'pe-a',
      properties: {
        provisioningState: 'Pending',
        privateEndpoint: { id: privateEndpointId('pe-a') },
        privateLinkServiceConnectionState: { status: 'Pending', description: 'Please approve my request, thanks', actionsRequired: 'None' },
      },
    });
    assert.deepEqual(list.body.value[0], got.body);
    const missing = await h.call('GET', 'privateEndpointConnections/nope');
    assert.equal(missing.status, 404);
  });

  it('never creates a connection with PUT', async () => {
    const r = await refused(h, 'PUT', 'privateEndpointConnections/invented', approve(), 404);
    assert.match(r.body.error.message, /created by a private endpoint/);
  });

  it('refuses statuses other than Approved and Rejected, and a body without a state', async () => {
    for (const status of ['Pending', 'Disconnected', 'Maybe']) {
      const r = await refused(h, 'PUT', 'privateEndpointConnections/pe-a', { body: { properties: { privateLinkServiceConnectionState: { status } } } }, 400);
      assert.equal(r.body.error.details[0].target, 'privateLinkServiceConnectionState.status');
    }
    await refused(h, 'PUT', 'privateEndpointConnections/pe-a', { body: { properties: {} } }, 400);
    await refused(h, 'PUT', 'privateEndpointConnections/pe-a', { body: { properties: { privateLinkServiceConnectionState: { status: 'Approved', colour: 'red' } } } }, 400);
    await refused(h, 'PATCH', 'privateEndpointConnections/pe-a', { ...approve(), headers: { 'if-match': '*' } }, 405);
  });

  it('approves a pending connection with a description; a GET sent back is accepted', async () => {
    const before = (await h.call('GET', 'privateEndpointConnections/pe-b')).headers.get('etag');
    const r = await setState(h, 'pe-a', { status: 'approved', description: 'Approved by the network team' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.properties, {
      provisioningState: 'Succeeded',
      privateEndpoint: { id: privateEndpointId('pe-a') },
      privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved by the network team', actionsRequired: 'None' },
    });
    assert.equal((await h.call('GET', 'privateEndpointConnections/pe-b')).headers.get('etag'), before, 'the other connection is untouched');
    // What a GET answered, sent back as is (read-only parts included), approves again.
    const got = (await h.call('GET', 'privateEndpointConnections/pe-a')).body;
    const again = await h.call('PUT', 'privateEndpointConnections/pe-a', { body: got });
    assert.equal(again.status, 200, again.text);
    const defaulted = await h.call('PUT', 'privateEndpointConnections/pe-a', approve());
    assert.equal(defaulted.body.properties.privateLinkServiceConnectionState.description, 'The Private Endpoint Connection is approved.');
  });

  it('rejects an approved connection, and never approves a rejected one again', async () => {
    const r = await setState(h, 'pe-a', { status: 'Rejected', description: 'No longer needed' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.privateLinkServiceConnectionState.status, 'Rejected');
    assert.equal(r.body.properties.privateLinkServiceConnectionState.description, 'No longer needed');
    const back = await refused(h, 'PUT', 'privateEndpointConnections/pe-a', approve('again'), 400);
    assert.match(back.body.error.message, /A rejected private endpoint connection cannot be approved again\. Delete the private endpoint and create it again/);
    const still = await setState(h, 'pe-a', { status: 'Rejected', description: 'Rejected for good' });
    assert.equal(still.status, 200, still.text);
    assert.equal(still.body.properties.privateLinkServiceConnectionState.description, 'Rejected for good');
    const pending = await setState(h, 'pe-b', { status: 'Rejected' });
    assert.equal(pending.body.properties.privateLinkServiceConnectionState.description, 'The Private Endpoint Connection is rejected.');
  });

  it('approving a Failed connection resets it to Succeeded with no action required', async () => {
    await seedConnection(h.store, {
      name: 'pe-failed',
      vnet: 'hub',
      subnet: 'endpoints',
      address: '10.9.2.9',
      status: 'Approved',
      provisioningState: 'Failed',
      actionsRequired: 'The gateway could not listen on 10.9.2.9:8080: the address is not assigned to any network interface of the gateway host.',
    });
    const r = await setState(h, 'pe-failed', { status: 'Approved', description: 'retry' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.provisioningState, 'Succeeded');
    assert.equal(r.body.properties.privateLinkServiceConnectionState.actionsRequired, 'None');
  });

  it('refuses to approve or reject a Disconnected connection', async () => {
    await seedConnection(h.store, { name: 'pe-gone', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.10', status: 'Disconnected' });
    await refused(h, 'PUT', 'privateEndpointConnections/pe-gone', approve(), 400);
    await refused(h, 'PUT', 'privateEndpointConnections/pe-gone', { body: { properties: { privateLinkServiceConnectionState: { status: 'Rejected' } } } }, 400);
  });

  it('deletes a connection without If-Match, checks one when given, and leaves the others', async () => {
    await refused(h, 'DELETE', 'privateEndpointConnections/pe-b', { headers: { 'if-match': '"stale"' } }, 412);
    const others = (await storeState(h.store)).filter((e) => (e as { id: string }).id !== 'privateEndpointConnections/pe-b');
    const r = await h.call('DELETE', 'privateEndpointConnections/pe-b');
    assert.equal(r.status, 200, r.text);
    assert.equal((await h.call('GET', 'privateEndpointConnections/pe-b')).status, 404);
    assert.deepEqual(await storeState(h.store), others, 'only the connection is gone (its private endpoint stays)');
    assert.equal((await h.call('DELETE', 'privateEndpointConnections/pe-b')).status, 204);
    // Other kinds still require If-Match on DELETE.
    assert.equal((await h.call('DELETE', 'groups/whatever')).status, 400);
  });
});

describe('private link resources', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    await h.call('GET', '');
  });
  after(() => h.close());

  it('lists the Gateway group as reference §6.2 shows it', async () => {
    const r = await h.call('GET', 'privateLinkResources');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.value, [gatewayResource]);
  });

  it('reads Gateway (any casing) and answers 404 for other names', async () => {
    const r = await h.call('GET', 'privateLinkResources/gateway');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, gatewayResource);
    const other = await h.call('GET', 'privateLinkResources/portal');
    assert.equal(other.status, 404);
    assert.equal(other.body.error.code, 'ResourceNotFound');
  });

  it('refuses writes', async () => {
    await refused(h, 'PUT', 'privateLinkResources/Gateway', { body: { properties: {} } }, 405);
    await refused(h, 'PUT', 'privateLinkResources/Other', { body: { properties: {} } }, 405);
    await refused(h, 'DELETE', 'privateLinkResources/Gateway', { headers: { 'if-match': '*' } }, 405);
  });
});

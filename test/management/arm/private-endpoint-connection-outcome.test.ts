/**
 * recordListenerOutcome (src/management/network/connection-outcome.ts) against a real SQLite
 * store: a listener that could not bind an approved connection's address marks that connection
 * Failed with the message, touches nothing else, writes nothing when repeated, and approving
 * through the management API resets it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordListenerOutcome } from '../../../src/management/network/connection-outcome.js';
import { startManagement, storeState, type ManagementHarness } from './arm-harness.js';
import { seedConnection, seedVirtualNetwork } from './private-link-seed.js';

const notAssigned = 'The gateway could not listen on 10.9.2.4:8443: the address is not assigned to any network interface of the gateway host.';
const inUse = 'The gateway could not listen on 10.9.2.4:8443: port 8443 is already in use on that address.';

describe('recording listener outcomes on private endpoint connections', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    await seedVirtualNetwork(h.store, 'hub', '10.9.0.0/16', { endpoints: '10.9.2.0/24' });
    await seedConnection(h.store, { name: 'pe-a', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.4', status: 'Approved' });
    await seedConnection(h.store, { name: 'pe-b', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.5', status: 'Approved' });
    await seedConnection(h.store, { name: 'pe-pending', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.6' });
    await seedConnection(h.store, { name: 'pe-creating', vnet: 'hub', subnet: 'endpoints', address: '10.9.2.7', status: 'Approved', provisioningState: 'Creating' });
  });
  after(() => h.close());

  /** Every entity but the named connection, to show nothing else moved. */
  async function othersThan(name: string): Promise<unknown[]> {
    return (await storeState(h.store)).filter((e) => (e as { id: string }).id !== `privateEndpointConnections/${name}`);
  }

  it('marks a connection Failed with the message naming the address, and nothing else', async () => {
    const others = await othersThan('pe-a');
    const version = await h.store.version();
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-a', { ok: false, message: notAssigned }), 'written');
    assert.equal(await h.store.version(), version + 1);
    assert.deepEqual(await othersThan('pe-a'), others);
    const r = await h.call('GET', 'privateEndpointConnections/pe-a');
    assert.equal(r.body.properties.provisioningState, 'Failed');
    assert.equal(r.body.properties.privateLinkServiceConnectionState.status, 'Approved');
    assert.equal(r.body.properties.privateLinkServiceConnectionState.actionsRequired, notAssigned);
    assert.match(r.body.properties.privateLinkServiceConnectionState.actionsRequired, /10\.9\.2\.4/);
  });

  it('writes nothing when the same failure is reported again, or a success after it', async () => {
    const state = await storeState(h.store);
    const version = await h.store.version();
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-a', { ok: false, message: notAssigned }), 'unchanged');
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-a', { ok: true }), 'unchanged');
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-b', { ok: true }), 'unchanged');
    assert.deepEqual(await storeState(h.store), state);
    assert.equal(await h.store.version(), version);
  });

  it('updates the message when the failure changes', async () => {
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-a', { ok: false, message: inUse }), 'written');
    const stored = await h.store.get('privateEndpointConnections/pe-a');
    assert.equal(stored?.body.actionsRequired, inUse);
  });

  it('leaves connections that are not approved or not there alone', async () => {
    const state = await storeState(h.store);
    const version = await h.store.version();
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-pending', { ok: false, message: notAssigned }), 'unchanged');
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-missing', { ok: false, message: notAssigned }), 'absent');
    assert.deepEqual(await storeState(h.store), state);
    assert.equal(await h.store.version(), version);
  });

  it('turns a provisioning connection Succeeded once its listener is up', async () => {
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-creating', { ok: true }), 'written');
    assert.equal((await h.store.get('privateEndpointConnections/pe-creating'))?.body.provisioningState, 'Succeeded');
  });

  it('is reset by approving the connection again through the management API', async () => {
    const r = await h.call('PUT', 'privateEndpointConnections/pe-a', { body: { properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'retry' } } } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.provisioningState, 'Succeeded');
    assert.equal(r.body.properties.privateLinkServiceConnectionState.actionsRequired, 'None');
    // The gateway fails again: recorded again.
    assert.equal(await recordListenerOutcome(h.store, 'gateway', 'pe-a', { ok: false, message: notAssigned }), 'written');
  });
});

/**
 * The gateway's NetworkSettings as the store configuration reader derives them: resources are
 * created through the real management handler, the service owner's decisions are written to the
 * connection entities, and `readStoreConfig(...).config.network` is checked: only Approved,
 * not-Failed connections listen; allowed sources follow Connected peerings that allow access on
 * both sides; public access and VNet injection come from the service settings.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import type { NetworkSettings } from '../../../src/model/network.js';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { connectionOf, endpointBody, net, subnetArmId, updateConnection, vnetBody } from './network-harness.js';

const hub = net('virtualNetworks/hub');
const spoke = net('virtualNetworks/spoke');
const oneWay = net('virtualNetworks/one-way');
const blocked = net('virtualNetworks/blocked');

describe('network settings derived from the store', () => {
  let h: ManagementHarness;
  const settings = async (): Promise<NetworkSettings> => {
    const config = (await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box })).config;
    assert.ok(config.network, 'config.network is always set');
    return config.network;
  };
  const put = async (path: string, body: unknown): Promise<void> => {
    const r = await h.call('PUT', path, { body });
    assert.ok(r.status === 200 || r.status === 201, r.text);
  };
  const setService = async (change: Record<string, unknown>): Promise<void> => {
    await h.store.transaction('test', async (tx) => {
      const service = await tx.get('service');
      await tx.put({ kind: 'service', id: 'service', parent: '', body: { ...(service?.body ?? {}), ...change } });
    });
  };

  before(async () => {
    h = await startManagement();
  });
  after(() => h.close());

  it('is the default for a service nobody configured', async () => {
    // Azure's defaults for a new service: public access on, no VNet, no private endpoints.
    assert.deepEqual(await settings(), { publicNetworkAccess: 'Enabled', virtualNetworkType: 'None', privateEndpoints: [] });
  });

  it('listens for approved connections only, admitting the endpoint network and Connected peers that allow access both ways', async () => {
    await put(spoke, vnetBody(['10.20.0.0/16']));
    await put(oneWay, vnetBody(['10.30.0.0/16']));
    await put(blocked, vnetBody(['10.40.0.0/16']));
    await put(hub, vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24' }, [
      { name: 'spoke', remote: spoke },
      { name: 'one-way', remote: oneWay },
      { name: 'blocked', remote: blocked },
    ]));
    await put(`${spoke}/virtualNetworkPeerings/hub`, { properties: { remoteVirtualNetwork: { id: hub } } });
    await put(`${blocked}/virtualNetworkPeerings/hub`, { properties: { remoteVirtualNetwork: { id: hub }, allowVirtualNetworkAccess: false } });
    await put(net('privateEndpoints/auto'), endpointBody(subnetArmId('hub', 'pe')));
    await put(net('privateEndpoints/manual'), endpointBody(subnetArmId('hub', 'pe'), { manual: true, ip: '10.10.1.20' }));
    const auto = await connectionOf(h.store, net('privateEndpoints/auto'));
    const manual = await connectionOf(h.store, net('privateEndpoints/manual'));

    let s = await settings();
    assert.deepEqual(s.privateEndpoints, [
      { connectionName: auto, groupId: 'Gateway', memberName: 'Gateway', privateIpAddress: '10.10.1.4', allowedSources: ['10.10.0.0/16', '10.20.0.0/16'] },
    ]);

    await updateConnection(h.store, manual, { status: 'Approved', provisioningState: 'Succeeded' });
    s = await settings();
    assert.deepEqual(s.privateEndpoints.map((p) => [p.connectionName, p.privateIpAddress]), [[auto, '10.10.1.4'], [manual, '10.10.1.20']]);

    // The blocked network's own side now allows access: it joins the admitted sources.
    await put(`${blocked}/virtualNetworkPeerings/hub`, { properties: { remoteVirtualNetwork: { id: hub } } });
    s = await settings();
    assert.deepEqual(s.privateEndpoints[0]!.allowedSources, ['10.10.0.0/16', '10.20.0.0/16', '10.40.0.0/16']);

    // This side disallowing access removes the peer again.
    await put(`${hub}/virtualNetworkPeerings/spoke`, { properties: { remoteVirtualNetwork: { id: spoke }, allowVirtualNetworkAccess: false } });
    s = await settings();
    assert.deepEqual(s.privateEndpoints[0]!.allowedSources, ['10.10.0.0/16', '10.40.0.0/16']);
  });

  it('drops connections that failed provisioning, were rejected or deleted', async () => {
    const auto = await connectionOf(h.store, net('privateEndpoints/auto'));
    const manual = await connectionOf(h.store, net('privateEndpoints/manual'));
    await updateConnection(h.store, auto, { provisioningState: 'Failed', actionsRequired: 'Address 10.10.1.4 is not on this host.' });
    assert.deepEqual((await settings()).privateEndpoints.map((p) => p.connectionName), [manual]);
    await updateConnection(h.store, manual, { status: 'Rejected' });
    assert.deepEqual((await settings()).privateEndpoints, []);
    await updateConnection(h.store, auto, { provisioningState: 'Succeeded' });
    assert.deepEqual((await settings()).privateEndpoints.map((p) => p.connectionName), [auto]);
    assert.equal((await h.call('DELETE', net('privateEndpoints/auto'))).status, 200);
    assert.deepEqual((await settings()).privateEndpoints, []);
  });

  it('carries publicNetworkAccess and the injected subnet with its admitted sources', async () => {
    await setService({ publicNetworkAccess: 'Disabled' });
    let s = await settings();
    assert.equal(s.publicNetworkAccess, 'Disabled');
    assert.equal(s.virtualNetworkType, 'None');
    assert.equal(s.injection, undefined);

    await put(`${hub}/subnets/apim`, { properties: { addressPrefix: '10.10.8.0/24' } });
    await setService({ publicNetworkAccess: 'Enabled', virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId: subnetArmId('hub', 'apim') } });
    s = await settings();
    assert.equal(s.virtualNetworkType, 'Internal');
    assert.deepEqual(s.injection, { subnetId: subnetArmId('hub', 'apim'), subnetPrefix: '10.10.8.0/24', allowedSources: ['10.10.0.0/16', '10.40.0.0/16'] });

    // A subnet that is gone gives no injection rather than a wrong one.
    await setService({ virtualNetworkConfiguration: { subnetResourceId: subnetArmId('hub', 'gone') } });
    s = await settings();
    assert.equal(s.virtualNetworkType, 'Internal');
    assert.equal(s.injection, undefined);
  });
});

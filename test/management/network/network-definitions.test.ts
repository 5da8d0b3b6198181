/**
 * Microsoft.Network request bodies checked against Azure's definitions (issue 14 §6,
 * network-schemas.ts): what a GET answered is accepted back, a property Azure defines and
 * Gatehouse does not implement is refused by name, one Azure does not define is unknown, types
 * come from Azure's definitions, and keys that live on Object.prototype are never fields.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { servicePath, startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { subnetSchema } from '../../../src/management/network/network-schemas.js';
import { endpointBody, expectRefusal, net, subnetArmId, vnetBody } from './network-harness.js';

describe('Microsoft.Network bodies against Azure definitions', () => {
  let h: ManagementHarness;
  const hub = net('virtualNetworks/defs-hub');
  const spoke = net('virtualNetworks/defs-spoke');
  const endpoint = net('privateEndpoints/defs-pe');

  before(async () => {
    h = await startManagement();
    for (const [path, body] of [
      [spoke, vnetBody(['10.71.0.0/16'])],
      [hub, vnetBody(['10.70.0.0/16'], { pe: '10.70.1.0/24' }, [{ name: 'to-spoke', remote: spoke }])],
      [endpoint, endpointBody(subnetArmId('defs-hub', 'pe'), { manual: true, requestMessage: 'please' })],
    ] as const) {
      const r = await h.call('PUT', path, { body });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(() => h.close());

  it('accepts back every body a GET answered (read-only and fixed properties included), changing nothing', async () => {
    for (const path of [hub, `${hub}/subnets/pe`, `${hub}/virtualNetworkPeerings/to-spoke`, endpoint]) {
      const read = await h.call('GET', path);
      assert.equal(read.status, 200, read.text);
      const written = await h.call('PUT', path, { body: read.body });
      assert.equal(written.status, 200, `${path}: ${written.text}`);
      const { etag: _before, ...was } = read.body;
      const { etag: _after, ...is } = (await h.call('GET', path)).body;
      assert.deepEqual(stripEtags(is), stripEtags(was), path);
    }
  });

  it('refuses by name a property Azure defines and Gatehouse does not implement', async () => {
    const body = vnetBody(['10.72.0.0/16'], { a: '10.72.1.0/24' });
    const subnets = (body.properties as { subnets: Array<{ properties: Record<string, unknown> }> }).subnets;
    subnets[0]!.properties.natGateway = { id: net('natGateways/nat') };
    const r = await expectRefusal(h, 'PUT', net('virtualNetworks/defs-nat'), body, 400, 'InvalidRequestFormat');
    assert.equal(r.body.error.details[0].target, 'properties.subnets[0].properties.natGateway');
    assert.match(r.body.error.message, /^Cannot parse the request: Property 'properties\.subnets\[0\]\.properties\.natGateway' is not supported by Gatehouse: /);
    const endpointWithNic = { ...endpointBody(subnetArmId('defs-hub', 'pe')), properties: { ...(endpointBody(subnetArmId('defs-hub', 'pe')).properties as object), customNetworkInterfaceName: 'nic' } };
    const nic = await expectRefusal(h, 'PUT', net('privateEndpoints/defs-nic'), endpointWithNic, 400, 'InvalidRequestFormat', 'properties.customNetworkInterfaceName');
    assert.match(nic.body.error.message, /is not supported by Gatehouse/);
  });

  it("refuses as unknown a property Azure's definition does not have", async () => {
    const r = await expectRefusal(h, 'PUT', `${hub}/subnets/extra`, { properties: { addressPrefix: '10.70.9.0/24', colour: 'blue' } }, 400, 'InvalidRequestFormat');
    assert.deepEqual(r.body.error.details, [{ code: 'InvalidRequestFormat', target: 'properties.colour', message: "Property 'properties.colour' is not a known property." }]);
  });

  it("checks the types of Azure's definitions, naming the property", async () => {
    const r = await expectRefusal(h, 'PUT', net('virtualNetworks/defs-types'), { location: 'x', properties: { addressSpace: { addressPrefixes: '10.0.0.0/16' } } }, 400, 'InvalidRequestFormat');
    assert.equal(r.body.error.message, "Cannot parse the request: 'properties.addressSpace.addressPrefixes' must be an array.");
    const peering = await expectRefusal(h, 'PUT', `${hub}/virtualNetworkPeerings/typed`, { properties: { remoteVirtualNetwork: { id: spoke }, allowVirtualNetworkAccess: 'yes' } }, 400, 'InvalidRequestFormat');
    assert.equal(peering.body.error.details[0].target, 'properties.allowVirtualNetworkAccess');
  });

  it('refuses __proto__ anywhere, and constructor or toString as unknown properties', async () => {
    const proto = await expectRefusal(
      h,
      'PUT',
      net('virtualNetworks/defs-proto'),
      '{"location":"x","properties":{"addressSpace":{"addressPrefixes":["10.73.0.0/16"],"__proto__":{"addressPrefixes":["10.0.0.0/8"]}}}}',
      400,
      // Refused where every management request body is parsed (arm/request-body.ts), before any schema.
      'ValidationError',
    );
    assert.equal(proto.body.error.details[0].target, 'properties.addressSpace.__proto__');
    // The schema's own check refuses it too, for a body that reaches it another way.
    const parsed = JSON.parse('{"properties":{"addressPrefix":"10.0.0.0/24","__proto__":{}}}') as Record<string, unknown>;
    assert.deepEqual(subnetSchema.check(parsed, 'PUT').problems.map((p) => p.target), ['properties.__proto__']);
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
      const raw = `{"location":"x","properties":{"subnet":{"id":"${subnetArmId('defs-hub', 'pe')}"},"privateLinkServiceConnections":[{"name":"c","properties":{"privateLinkServiceId":"${servicePath}","groupIds":["Gateway"],"${key}":{}}}]}}`;
      const r = await expectRefusal(h, 'PUT', net('privateEndpoints/defs-proto'), raw, 400, 'InvalidRequestFormat');
      assert.equal(r.body.error.details[0].target, `properties.privateLinkServiceConnections[0].properties.${key}`, key);
      assert.match(r.body.error.details[0].message, /is not a known property/, key);
    }
  });
});

/** A resource body without the etags it and its children carry (a write changes them). */
function stripEtags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripEtags);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'etag').map(([k, v]) => [k, stripEtags(v)]));
}

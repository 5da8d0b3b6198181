/**
 * Issue 14 §2 and §6 for the Microsoft.Network bodies (the sibling of
 * test/management/arm/enforced-or-refused.test.ts): walks every property path of the four
 * network schemas (Azure's definitions, network-schemas.ts) and fails on one that is neither
 * enforced (a named test proves what it changes), fixed (accepted with Gatehouse's value only) nor
 * refused as not implemented. Live: every refused path is a 400 naming it that stores nothing, and
 * every fixed path takes its value and refuses another.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { KindSchema } from '../../../src/management/arm/spec-validator.js';
import { peeringSchema, privateEndpointSchema, subnetSchema, virtualNetworkSchema } from '../../../src/management/network/network-schemas.js';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { endpointBody, expectRefusal, net, subnetArmId, vnetBody } from './network-harness.js';

const root = new URL('../../../', import.meta.url).pathname;
const vnets = 'test/management/network/virtual-networks.test.ts';
const endpoints = 'test/management/network/private-endpoints.test.ts';

/** What proves a property changes behaviour; an entry covers its path and everything below it. */
interface Enforced {
  behaviour: string;
  file: string;
}

const peering: Record<string, Enforced> = {
  name: { behaviour: 'the peering is named in the body inside its network (the path names a child PUT)', file: vnets },
  'properties.remoteVirtualNetwork': { behaviour: 'the network peered with; it must exist and not overlap', file: vnets },
  'properties.allowVirtualNetworkAccess': { behaviour: 'whether the peered network reaches the gateway', file: 'test/e2e/network-isolation.test.ts' },
};
const subnet: Record<string, Enforced> = {
  name: { behaviour: 'the subnet is named in the body inside its network (the path names a child PUT)', file: vnets },
  'properties.addressPrefix': { behaviour: 'the range private endpoints take addresses from; inside the network, no overlap', file: vnets },
};
const connection: Record<string, Enforced> = {
  name: { behaviour: 'the link is named; the service-side connection is named after the endpoint', file: endpoints },
  'properties.privateLinkServiceId': { behaviour: 'the hosted service is the only target', file: endpoints },
  'properties.groupIds': { behaviour: 'exactly ["Gateway"]', file: endpoints },
  'properties.requestMessage': { behaviour: 'the message the service owner sees on a Pending connection', file: endpoints },
};

/** A top-level resource's envelope, proven by `file`. */
const envelope = (file: string): Record<string, Enforced> => ({
  location: { behaviour: 'stored and answered (local when not given)', file },
  tags: { behaviour: 'stored and answered', file },
  properties: { behaviour: 'the container of the settings below', file },
});

/** `entries` with their paths under `prefix`. */
const prefixed = (prefix: string, entries: Record<string, Enforced>): Record<string, Enforced> =>
  Object.fromEntries(Object.entries(entries).map(([k, v]) => [`${prefix}${k}`, v]));

/** A kind's coverage: its schema, a valid body, the path it is PUT to, and what enforces each path. */
const kinds: Record<string, { schema: KindSchema; path: string; body: () => Record<string, unknown>; enforced: Record<string, Enforced> }> = {
  virtualNetworks: {
    schema: virtualNetworkSchema,
    path: net('virtualNetworks/coverage'),
    body: () => vnetBody(['10.90.0.0/16'], { s1: '10.90.1.0/24' }, [{ name: 'p1', remote: net('virtualNetworks/other') }]),
    enforced: {
      ...envelope(vnets),
      'properties.addressSpace': { behaviour: 'the prefixes subnets and peerings are checked against', file: vnets },
      'properties.subnets': { behaviour: 'a PUT replaces the subnet list', file: vnets },
      'properties.virtualNetworkPeerings': { behaviour: 'a PUT replaces the peering list', file: vnets },
      ...prefixed('properties.subnets[].', subnet),
      'properties.subnets[].properties': subnet['properties.addressPrefix']!,
      ...prefixed('properties.virtualNetworkPeerings[].', peering),
      'properties.virtualNetworkPeerings[].properties': peering['properties.remoteVirtualNetwork']!,
    },
  },
  subnets: {
    schema: subnetSchema,
    path: net('virtualNetworks/coverage/subnets/s2'),
    body: () => ({ properties: { addressPrefix: '10.90.2.0/24' } }),
    enforced: { ...subnet, properties: subnet['properties.addressPrefix']! },
  },
  virtualNetworkPeerings: {
    schema: peeringSchema,
    path: net('virtualNetworks/coverage/virtualNetworkPeerings/p2'),
    body: () => ({ properties: { remoteVirtualNetwork: { id: net('virtualNetworks/other') } } }),
    enforced: { ...peering, properties: peering['properties.remoteVirtualNetwork']! },
  },
  privateEndpoints: {
    schema: privateEndpointSchema,
    path: net('privateEndpoints/coverage'),
    body: () => {
      const body = endpointBody(subnetArmId('coverage', 's1'), { ip: '10.90.1.4' });
      const properties = body.properties as Record<string, unknown>;
      // Both lists, so that a path in either is reached (the schema is checked before the rule of one link).
      return { ...body, properties: { ...properties, manualPrivateLinkServiceConnections: properties.privateLinkServiceConnections } };
    },
    enforced: {
      ...envelope(endpoints),
      'properties.subnet': { behaviour: 'the subnet the address is taken from; it must exist', file: endpoints },
      'properties.ipConfigurations': { behaviour: 'a static address, checked against the subnet', file: endpoints },
      'properties.ipConfigurations[].name': { behaviour: 'the IP configuration is answered under this name', file: endpoints },
      'properties.ipConfigurations[].properties': { behaviour: 'the static address and its group', file: endpoints },
      'properties.ipConfigurations[].properties.groupId': { behaviour: 'Gateway only', file: endpoints },
      'properties.ipConfigurations[].properties.memberName': { behaviour: 'Gateway only', file: endpoints },
      'properties.ipConfigurations[].properties.privateIPAddress': { behaviour: 'the address the gateway listens on', file: endpoints },
      'properties.privateLinkServiceConnections': { behaviour: 'an auto-approved connection', file: endpoints },
      'properties.manualPrivateLinkServiceConnections': { behaviour: 'a Pending connection', file: endpoints },
      ...prefixed('properties.privateLinkServiceConnections[].', connection),
      ...prefixed('properties.manualPrivateLinkServiceConnections[].', connection),
      'properties.privateLinkServiceConnections[].properties': connection['properties.privateLinkServiceId']!,
      'properties.manualPrivateLinkServiceConnections[].properties': connection['properties.privateLinkServiceId']!,
    },
  },
};

/** Whether `path` is `of` or below it. */
const within = (path: string, of: string): boolean => path === of || path.startsWith(`${of}.`) || path.startsWith(`${of}[`);

/** A request path with `[]` read as the first item (`a[].b` → `a[0].b`). */
const target = (path: string): string => path.replace(/\[\]/g, '[0]');

/** `body` with `value` at `path` (`[]` is the first item, which the base body has). */
function withValue(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const segments = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const [i, segment] of segments.entries()) {
    const key = segment.replace(/\[\]$/, '');
    if (i === segments.length - 1) {
      node[key] = value;
      break;
    }
    node[key] ??= {};
    const next = node[key] as Record<string, unknown> | Array<Record<string, unknown>>;
    node = Array.isArray(next) ? next[0]! : next;
  }
  return copy;
}

/** Another value Azure's definition allows (the fixed strings are Enabled/Disabled policies); one it does not is an enum error. */
const otherThan = (value: unknown): unknown => (typeof value === 'boolean' ? !value : value === 'Enabled' ? 'Disabled' : 'Enabled');

describe('every property of every Microsoft.Network body is enforced, fixed or refused (issue 14 §2, §6)', () => {
  it('covers every property path of the four schemas, and lists nothing else', () => {
    const uncovered: string[] = [];
    const stale: string[] = [];
    for (const [kind, { schema, enforced }] of Object.entries(kinds)) {
      const refused = Object.keys(schema.notSupported);
      const fixed = Object.keys(schema.fixed);
      for (const path of schema.paths) {
        if (refused.some((r) => within(path, r)) || fixed.includes(path)) continue;
        if (!Object.keys(enforced).some((e) => within(path, e))) uncovered.push(`${kind}: ${path}`);
      }
      for (const path of Object.keys(enforced)) if (!schema.paths.includes(path)) stale.push(`${kind}: ${path}`);
    }
    assert.deepEqual(uncovered, [], 'properties neither enforced, fixed nor refused');
    assert.deepEqual(stale, [], 'entries for properties no schema has');
  });

  it('refuses, as Azure defines them, the settings Gatehouse does not model', () => {
    // The cut of the extract: these are Azure's, and not Gatehouse's (a sample, not the list).
    assert.ok(virtualNetworkSchema.notSupported['properties.dhcpOptions']);
    assert.ok(virtualNetworkSchema.notSupported['properties.subnets[].properties.networkSecurityGroup']);
    assert.ok(subnetSchema.notSupported['properties.routeTable']);
    assert.ok(peeringSchema.notSupported['properties.peerCompleteVnets']);
    assert.ok(privateEndpointSchema.notSupported['properties.applicationSecurityGroups']);
    assert.ok(privateEndpointSchema.notSupported['properties.subnet.properties']);
  });

  it('names, for each enforced property, a test file that exists and is about it', () => {
    const wrong: string[] = [];
    for (const [kind, { enforced }] of Object.entries(kinds)) {
      for (const [path, entry] of Object.entries(enforced)) {
        const leaf = path.replace(/\[\]/g, '').split('.').pop()!;
        if (!existsSync(`${root}${entry.file}`)) wrong.push(`${kind}: ${path}: ${entry.file} does not exist`);
        else if (!new RegExp(`\\b${leaf}\\b`).test(readFileSync(`${root}${entry.file}`, 'utf8'))) wrong.push(`${kind}: ${path}: ${entry.file} never mentions it`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  describe('live', () => {
    let h: ManagementHarness;
    before(async () => {
      h = await startManagement();
    });
    after(() => h.close());

    for (const [kind, { schema, path, body }] of Object.entries(kinds)) {
      it(`${kind}: every property refused as not implemented is a 400 naming it, and nothing is stored`, async () => {
        for (const refused of Object.keys(schema.notSupported)) {
          const r = await expectRefusal(h, 'PUT', path, withValue(body(), refused, {}), 400, 'InvalidRequestFormat', target(refused));
          const detail = r.body.error.details.find((d: { target: string }) => d.target === target(refused));
          assert.ok(detail, `${refused}: ${r.text}`);
          assert.match(detail.message, /is not supported by Gatehouse/, refused);
        }
      });

      it(`${kind}: every fixed property takes Gatehouse's value only`, async () => {
        for (const [fixed, value] of Object.entries(schema.fixed)) {
          assert.deepEqual(schema.check(withValue(body(), fixed, value), 'PUT').problems, [], `${fixed} = ${JSON.stringify(value)}`);
          await expectRefusal(h, 'PUT', path, withValue(body(), fixed, otherThan(value)), 400, 'UnsupportedProperty', `'${target(fixed)}' can only be ${JSON.stringify(value)}`);
        }
      });
    }
  });
});

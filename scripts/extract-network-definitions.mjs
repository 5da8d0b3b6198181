#!/usr/bin/env node
// Writes src/management/network/azure-spec/network-definitions.json from Azure's Microsoft.Network
// specification files (see the README beside that file). Usage:
//   node scripts/extract-network-definitions.mjs <folder with virtualNetwork.json, privateEndpoint.json,
//                                                 network.json, privateLinkService.json> [out-file]
// The cut rule: the definitions below are copied with the keywords that validate; of their
// properties, those Gatehouse implements keep Azure's schema (their $refs must be definitions
// copied here), read-only ones keep `readOnly` and their type, and every other one keeps only its
// type and the not-supported mark, so its $refs (NSGs, route tables, DDoS plans …) are not pulled in.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const mark = 'x-gatehouse-not-supported';
const reason = 'Gatehouse emulates the address layout and Private Link of Microsoft.Network, not this setting';

/** Each definition copied: the file it is in and the properties Gatehouse implements (renders or reads). */
const kept = {
  Resource: { file: 'network.json', implemented: ['id', 'name', 'type', 'location', 'tags'] },
  SubResource: { file: 'network.json', implemented: ['id'] },
  VirtualNetwork: { file: 'virtualNetwork.json', implemented: ['properties', 'etag'] },
  VirtualNetworkPropertiesFormat: {
    file: 'virtualNetwork.json',
    implemented: ['addressSpace', 'subnets', 'virtualNetworkPeerings', 'resourceGuid', 'provisioningState', 'enableDdosProtection'],
  },
  AddressSpace: { file: 'virtualNetwork.json', implemented: ['addressPrefixes'] },
  Subnet: { file: 'virtualNetwork.json', implemented: ['properties', 'name', 'etag', 'type'] },
  SubnetPropertiesFormat: {
    file: 'virtualNetwork.json',
    implemented: ['addressPrefix', 'privateEndpoints', 'provisioningState', 'privateEndpointNetworkPolicies', 'privateLinkServiceNetworkPolicies'],
  },
  VirtualNetworkPeering: { file: 'virtualNetwork.json', implemented: ['properties', 'name', 'etag', 'type'] },
  VirtualNetworkPeeringPropertiesFormat: {
    file: 'virtualNetwork.json',
    implemented: [
      'allowVirtualNetworkAccess', 'allowForwardedTraffic', 'allowGatewayTransit', 'useRemoteGateways',
      'remoteVirtualNetwork', 'remoteAddressSpace', 'peeringState', 'provisioningState', 'resourceGuid',
    ],
  },
  PrivateEndpoint: { file: 'privateEndpoint.json', implemented: ['properties', 'etag'] },
  PrivateEndpointProperties: {
    file: 'privateEndpoint.json',
    implemented: ['subnet', 'networkInterfaces', 'provisioningState', 'privateLinkServiceConnections', 'manualPrivateLinkServiceConnections', 'customDnsConfigs', 'ipConfigurations'],
  },
  CustomDnsConfigPropertiesFormat: { file: 'privateEndpoint.json', implemented: ['fqdn', 'ipAddresses'] },
  PrivateLinkServiceConnection: { file: 'privateEndpoint.json', implemented: ['properties', 'name', 'type', 'etag'] },
  PrivateLinkServiceConnectionProperties: {
    file: 'privateEndpoint.json',
    implemented: ['provisioningState', 'privateLinkServiceId', 'groupIds', 'requestMessage', 'privateLinkServiceConnectionState'],
  },
  PrivateLinkServiceConnectionState: { file: 'privateLinkService.json', implemented: ['status', 'description', 'actionsRequired'] },
  PrivateEndpointIPConfiguration: { file: 'privateEndpoint.json', implemented: ['properties', 'name', 'type', 'etag'] },
  PrivateEndpointIPConfigurationProperties: { file: 'privateEndpoint.json', implemented: ['groupId', 'memberName', 'privateIPAddress'] },
};

// The keywords that validate (as the management API's extract, azure-spec/README.md there).
const validating = ['type', 'required', 'enum', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'minItems', 'maxItems', 'readOnly', 'format', 'default'];

const folder = process.argv[2];
const out = process.argv[3] ?? new URL('../src/management/network/azure-spec/network-definitions.json', import.meta.url).pathname;
if (!folder) {
  console.error('usage: node scripts/extract-network-definitions.mjs <spec folder> [out-file]');
  process.exit(2);
}
const files = new Map();
const sourceOf = (file) => {
  if (!files.has(file)) files.set(file, JSON.parse(readFileSync(join(folder, file), 'utf8')).definitions);
  return files.get(file);
};

/** `./network.json#/definitions/SubResource` in `from` → [file, name]. */
function target(ref, from) {
  const [file, pointer] = ref.split('#');
  return [file === '' ? from : file.replace(/^\.\//, ''), pointer.replace('/definitions/', '')];
}

/** The definition a $ref names, in the source files. */
function referenced(ref, from) {
  const [file, name] = target(ref, from);
  const definition = sourceOf(file)[name];
  if (!definition) throw new Error(`${from}: no definition ${ref}`);
  return definition;
}

/** A schema with the keywords that validate, its $refs rewritten to kept definitions. */
function copy(schema, from) {
  const out = {};
  if (schema.$ref) {
    const [file, name] = target(schema.$ref, from);
    if (kept[name]?.file !== file) throw new Error(`${from}: ${schema.$ref} is implemented but its definition is not kept`);
    out.$ref = `#/definitions/${name}`;
  }
  for (const k of validating) if (schema[k] !== undefined) out[k] = schema[k];
  if (schema.items) out.items = copy(schema.items, from);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.additionalProperties = copy(schema.additionalProperties, from);
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, copy(v, from)]));
  if (schema.allOf) out.allOf = schema.allOf.map((m) => copy(m, from));
  return out;
}

/** A property cut below its own level: its type (a $ref's, resolved), read-only or marked not supported. */
function cut(schema, from) {
  const type = schema.type ?? (schema.$ref ? (referenced(schema.$ref, from).type ?? 'object') : 'object');
  return schema.readOnly === true ? { type, readOnly: true } : { type, [mark]: reason };
}

const definitions = {};
for (const [name, { file, implemented }] of Object.entries(kept).sort(([a], [b]) => a.localeCompare(b))) {
  const source = sourceOf(file)[name];
  if (!source) throw new Error(`${file}: no definition ${name}`);
  const { properties = {}, ...rest } = source;
  const definition = copy(rest, file);
  for (const p of implemented) if (!Object.hasOwn(properties, p)) throw new Error(`${name}: Azure defines no property ${p}`);
  definition.properties = Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => {
      if (!implemented.includes(key)) return [key, cut(schema, file)];
      // A read-only property is answered, never read: its $ref is not followed.
      return [key, schema.readOnly === true ? cut(schema, file) : copy(schema, file)];
    }),
  );
  definitions[name] = definition;
}
writeFileSync(out, `${JSON.stringify({ definitions }, null, 2)}\n`);
console.log(`wrote ${Object.keys(definitions).length} definitions to ${out}`);

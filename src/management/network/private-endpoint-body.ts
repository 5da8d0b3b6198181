/**
 * Reads a `privateEndpoints/{pe}` PUT body in Azure's shape (issue 4 §2): the subnet, an
 * optional static address in `ipConfigurations`, and exactly one link to a private link service
 * in either `privateLinkServiceConnections` (auto-approved) or
 * `manualPrivateLinkServiceConnections` (Pending until approved). Only the shape is checked
 * here; whether the target, subnet and address are acceptable is private-endpoint-rules.ts.
 */
import { badField, networkRefusal } from './network-errors.js';
import {
  checkKeys,
  checkResourceName,
  objectArrayField,
  objectField,
  readEnvelope,
  requiredString,
  stringArrayField,
  stringField,
  type JsonObject,
  type KeyAllowance,
} from './network-body.js';

/** The one link a private endpoint asks for. */
export interface RequestedConnection {
  name: string;
  manual: boolean;
  privateLinkServiceId: string;
  groupIds: string[];
  requestMessage?: string;
}

/** A static address asked for in `ipConfigurations`. */
export interface RequestedIpConfiguration {
  name: string;
  groupId: string;
  memberName: string;
  privateIpAddress: string;
}

/** A checked private endpoint PUT body. */
export interface PrivateEndpointInput {
  location?: string;
  tags?: Record<string, string>;
  subnetId: string;
  ipConfiguration?: RequestedIpConfiguration;
  connection: RequestedConnection;
}

const element: KeyAllowance = { writable: ['name', 'properties'], readOnly: ['id', 'type', 'etag'] };
const endpointProperties: KeyAllowance = {
  writable: ['subnet', 'ipConfigurations', 'privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'],
  readOnly: ['provisioningState', 'resourceGuid', 'networkInterfaces', 'customDnsConfigs'],
};
const connectionProperties: KeyAllowance = {
  writable: ['privateLinkServiceId', 'groupIds', 'requestMessage'],
  readOnly: ['provisioningState', 'privateLinkServiceConnectionState'],
};
const ipConfigurationProperties: KeyAllowance = { writable: ['groupId', 'memberName', 'privateIPAddress'] };

/** Reads a private endpoint PUT body; throws ArmError 400. */
export function readPrivateEndpointBody(body: JsonObject | undefined): PrivateEndpointInput {
  const envelope = readEnvelope(body);
  const properties = envelope.properties;
  checkKeys(properties, 'properties', endpointProperties);
  const subnet = objectField(properties.subnet, 'properties.subnet');
  if (subnet) checkKeys(subnet, 'properties.subnet', { writable: ['id'] });
  const input: PrivateEndpointInput = {
    subnetId: requiredString(subnet?.id, 'properties.subnet.id'),
    connection: readConnection(properties),
  };
  const ipConfigurations = objectArrayField(properties.ipConfigurations, 'properties.ipConfigurations') ?? [];
  if (ipConfigurations.length > 1) {
    throw networkRefusal('TooManyIpConfigurations', 'A private endpoint to API Management has one member (Gateway), so at most one ipConfigurations entry.');
  }
  if (ipConfigurations[0]) input.ipConfiguration = readIpConfiguration(ipConfigurations[0]);
  if (envelope.location !== undefined) input.location = envelope.location;
  if (envelope.tags !== undefined) input.tags = envelope.tags;
  return input;
}

function readConnection(properties: JsonObject): RequestedConnection {
  const auto = objectArrayField(properties.privateLinkServiceConnections, 'properties.privateLinkServiceConnections') ?? [];
  const manual = objectArrayField(properties.manualPrivateLinkServiceConnections, 'properties.manualPrivateLinkServiceConnections') ?? [];
  if ((auto.length > 0) === (manual.length > 0)) {
    throw networkRefusal(
      'PrivateEndpointConnectionsInvalid',
      'A private endpoint needs exactly one of privateLinkServiceConnections (auto-approved) or manualPrivateLinkServiceConnections (approved by the service owner).',
    );
  }
  const list = auto.length > 0 ? auto : manual;
  const field = auto.length > 0 ? 'properties.privateLinkServiceConnections' : 'properties.manualPrivateLinkServiceConnections';
  if (list.length > 1) {
    throw networkRefusal('PrivateEndpointConnectionsInvalid', `A private endpoint has exactly one private link service connection; ${field} lists ${list.length}.`);
  }
  const item = list[0]!;
  checkKeys(item, `${field}[0]`, element);
  const name = requiredString(item.name, `${field}[0].name`);
  checkResourceName(name);
  const props = objectField(item.properties, `${field}[0].properties`);
  if (!props) throw badField(`${field}[0].properties.privateLinkServiceId`, 'is required.');
  checkKeys(props, `${field}[0].properties`, connectionProperties);
  const groupIds = stringArrayField(props.groupIds, `${field}[0].properties.groupIds`);
  if (!groupIds || groupIds.length === 0) throw badField(`${field}[0].properties.groupIds`, 'is required and must name the private link resource (Gateway).');
  const connection: RequestedConnection = {
    name,
    manual: manual.length > 0,
    privateLinkServiceId: requiredString(props.privateLinkServiceId, `${field}[0].properties.privateLinkServiceId`),
    groupIds,
  };
  const requestMessage = stringField(props.requestMessage, `${field}[0].properties.requestMessage`);
  if (requestMessage !== undefined) connection.requestMessage = requestMessage;
  return connection;
}

function readIpConfiguration(item: JsonObject): RequestedIpConfiguration {
  const target = 'properties.ipConfigurations[0]';
  checkKeys(item, target, element);
  const name = requiredString(item.name, `${target}.name`);
  checkResourceName(name);
  const props = objectField(item.properties, `${target}.properties`);
  if (!props) throw badField(`${target}.properties.privateIPAddress`, 'is required.');
  checkKeys(props, `${target}.properties`, ipConfigurationProperties);
  return {
    name,
    groupId: requiredString(props.groupId, `${target}.properties.groupId`),
    memberName: requiredString(props.memberName, `${target}.properties.memberName`),
    privateIpAddress: requiredString(props.privateIPAddress, `${target}.properties.privateIPAddress`).trim(),
  };
}

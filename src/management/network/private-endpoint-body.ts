/**
 * Reads a `privateEndpoints/{pe}` PUT body in Azure's shape (issue 4 §2): the subnet, an
 * optional static address in `ipConfigurations`, and exactly one link to a private link service
 * in either `privateLinkServiceConnections` (auto-approved) or
 * `manualPrivateLinkServiceConnections` (Pending until approved). Only the shape is checked
 * here; whether the target, subnet and address are acceptable is private-endpoint-rules.ts.
 */
import { badField, networkRefusal } from './network-errors.js';
import {
  checkResourceName,
  objectArrayField,
  objectField,
  readEnvelope,
  requiredString,
  stringArrayField,
  stringField,
  type JsonObject,
} from './network-body.js';
import { privateEndpointSchema } from './network-schemas.js';

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

/** Reads a private endpoint PUT body; throws ArmError 400. */
export function readPrivateEndpointBody(body: JsonObject | undefined): PrivateEndpointInput {
  const envelope = readEnvelope(privateEndpointSchema, body);
  const properties = envelope.properties;
  const subnet = objectField(properties.subnet, 'properties.subnet');
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
  const name = requiredString(item.name, `${field}[0].name`);
  checkResourceName(name);
  const props = objectField(item.properties, `${field}[0].properties`);
  if (!props) throw badField(`${field}[0].properties.privateLinkServiceId`, 'is required.');
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
  const name = requiredString(item.name, `${target}.name`);
  checkResourceName(name);
  const props = objectField(item.properties, `${target}.properties`);
  if (!props) throw badField(`${target}.properties.privateIPAddress`, 'is required.');
  return {
    name,
    groupId: requiredString(props.groupId, `${target}.properties.groupId`),
    memberName: requiredString(props.memberName, `${target}.properties.memberName`),
    privateIpAddress: requiredString(props.privateIPAddress, `${target}.properties.privateIPAddress`).trim(),
  };
}

/**
 * The network properties of the service resource (reference §6.1, issue 4 §1):
 * `publicNetworkAccess`, `virtualNetworkType` and `virtualNetworkConfiguration`, with Azure's
 * rules checked inside the PATCH's own transaction so a refusal writes nothing:
 * public access can be disabled only with an approved private endpoint connection, VNet
 * injection and private endpoints exclude each other, and injection names an existing subnet.
 * Also renders them, and the connections, for the service's GET.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import type { PublicNetworkAccess, VirtualNetworkType } from '../../model/network.js';
import { ArmError, invalidField, type ArmErrorDetail } from '../arm/arm-error.js';
import { canonicalEnum } from '../arm/canonical-enum.js';
import { networkArmId, networkKinds, networkStoreId, parseNetworkId } from './network-ids.js';
import { subnetNamed } from './network-inventory.js';
import type { StoredPrivateEndpointConnection, StoredVirtualNetwork } from './stored-network.js';

const accessValues: readonly PublicNetworkAccess[] = ['Enabled', 'Disabled'];
const vnetTypes: readonly VirtualNetworkType[] = ['None', 'External', 'Internal'];
const subnetTarget = 'virtualNetworkConfiguration.subnetResourceId';
const networkFields = ['publicNetworkAccess', 'virtualNetworkType', 'virtualNetworkConfiguration'];

/** The spec's own refusal of a bad `publicNetworkAccess` value; undefined when the value is fine. */
export function publicNetworkAccessProblem(value: unknown): ArmErrorDetail | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && accessValues.some((a) => a.toLowerCase() === value.toLowerCase())) return undefined;
  return { code: 'ValidationError', target: 'publicNetworkAccess', message: "Value is optional but if passed in, must be 'Enabled' or 'Disabled'." };
}

/** The service's effective public access (default Enabled). */
export function publicNetworkAccessOf(body: Record<string, unknown>): PublicNetworkAccess {
  return canonicalEnum(body.publicNetworkAccess ?? 'Enabled', accessValues) as PublicNetworkAccess;
}

/** The service's effective VNet mode (default None). */
export function virtualNetworkTypeOf(body: Record<string, unknown>): VirtualNetworkType {
  return canonicalEnum(body.virtualNetworkType ?? 'None', vnetTypes) as VirtualNetworkType;
}

/** Every private endpoint connection of the service, in id order. */
export async function listConnections(reader: Pick<EntityTransaction, 'list'>): Promise<StoredEntity[]> {
  return (await reader.list({ kind: networkKinds.privateEndpointConnection })).items;
}

/**
 * Checks the network properties of a service PATCH against the rules of reference §6.1 and
 * returns `body` (the stored body with the request merged over it) with them canonicalised.
 * Runs only when the request carries a network property; throws ArmError (400) otherwise.
 */
export async function checkServiceNetwork(
  tx: EntityTransaction,
  serviceArmId: string,
  given: Record<string, unknown>,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!networkFields.some((f) => f in given)) return body;
  const access = publicNetworkAccessOf(body);
  const vnetType = virtualNetworkTypeOf(body);
  const out: Record<string, unknown> = { ...body, publicNetworkAccess: access, virtualNetworkType: vnetType };
  const configuration = body.virtualNetworkConfiguration as { subnetResourceId?: string } | null | undefined;
  // A stored subnet is checked again only when it is in use (the network may have changed since).
  if (configuration?.subnetResourceId !== undefined && ('virtualNetworkConfiguration' in given || vnetType !== 'None')) {
    out.virtualNetworkConfiguration = { subnetResourceId: await existingSubnetId(tx, configuration.subnetResourceId) };
  } else if (configuration === null) {
    delete out.virtualNetworkConfiguration;
  }
  if (vnetType !== 'None') {
    if (out.virtualNetworkConfiguration === undefined) {
      throw invalidField(subnetTarget, `'${subnetTarget}' is required when virtualNetworkType is '${vnetType}'.`);
    }
    // The exclusion is named first: it is the rule an operator switching models meets.
    const connections = await listConnections(tx);
    if (connections.length > 0) {
      const names = connections.map((c) => c.id.slice(c.id.lastIndexOf('/') + 1)).join(', ');
      throw new ArmError(
        400,
        'NotSupported',
        `Virtual network injection (virtualNetworkType '${vnetType}') and private endpoints are mutually exclusive: service ${serviceArmId} has ${connections.length} private endpoint connection(s) (${names}). Delete them before injecting the service into a virtual network.`,
      );
    }
    if (access === 'Disabled') {
      throw new ArmError(
        400,
        'NotSupported',
        `Disabling \`publicNetworkAccess\` is not supported for service: ${serviceArmId} with virtualNetworkType '${vnetType}'. Public network access can only be disabled in API Management instances configured with a private endpoint, not with other networking configurations.`,
      );
    }
  }
  if (access === 'Disabled') {
    const approved = (await listConnections(tx)).some((c) => (c.body as unknown as StoredPrivateEndpointConnection).status === 'Approved');
    if (!approved) {
      throw new ArmError(
        400,
        'NotSupported',
        `Disabling all \`publicNetworkAccess\` for service: ${serviceArmId} is not supported if the service does not atleast one approved Private Endpoint Connections.`,
      );
    }
  }
  return out;
}

/** Resolves a subnet ARM id to its canonical spelling; 400 on the subnet field when it is not an existing subnet. */
async function existingSubnetId(tx: EntityTransaction, id: string): Promise<string> {
  const ref = parseNetworkId(id);
  if (!ref || ref.collection !== 'virtualNetworks' || ref.child?.collection !== 'subnets') {
    throw invalidField(
      subnetTarget,
      `'${id}' is not a subnet resource id (/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{network}/subnets/{subnet}).`,
    );
  }
  const vnet = await tx.get(networkStoreId(ref));
  if (!vnet || vnet.kind !== networkKinds.virtualNetwork) throw invalidField(subnetTarget, `Virtual network '${ref.name}' of subnet '${id}' was not found.`);
  const subnet = subnetNamed(vnet.body as unknown as StoredVirtualNetwork, ref.child.name);
  if (!subnet) throw invalidField(subnetTarget, `Subnet '${ref.child.name}' was not found in virtual network '${ref.name}'.`);
  const storedName = vnet.id.slice(vnet.id.lastIndexOf('/') + 1);
  return networkArmId({ ...ref, name: storedName, child: { collection: 'subnets', name: subnet.name } });
}

/** `virtualNetworkConfiguration` as the service's GET renders it: null without VNet injection. */
export function renderVirtualNetworkConfiguration(body: Record<string, unknown>): Record<string, unknown> | null {
  const configuration = body.virtualNetworkConfiguration as { subnetResourceId?: string } | undefined;
  if (virtualNetworkTypeOf(body) === 'None' || !configuration?.subnetResourceId) return null;
  const ref = parseNetworkId(configuration.subnetResourceId);
  return {
    subnetResourceId: configuration.subnetResourceId,
    vnetid: ref ? networkArmId({ ...ref, child: undefined }) : null,
    subnetname: ref?.child?.name ?? null,
  };
}

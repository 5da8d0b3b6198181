/**
 * The service side of Private Link (reference §6.2, issue 4 §3): the connections private
 * endpoints open to the service. They are created by the Microsoft.Network side when a private
 * endpoint targets the service, so a PUT here never creates one: it approves or rejects it.
 * Private Link's rule holds: a rejected connection is never approved again (the consumer deletes
 * the endpoint and creates it anew). Approving also clears a `Failed` provisioning state left by
 * a gateway that could not listen on the endpoint's address, which makes the gateway try again.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import type { StoredPrivateEndpointConnection } from '../../network/stored-network.js';
import { networkKinds } from '../../network/network-ids.js';
import { ArmError, invalidField } from '../arm-error.js';
import { resourceId, type ServicePath } from '../arm-ids.js';
import { canonicalEnum } from '../canonical-enum.js';
import type { ArmResource } from '../render-resource.js';
import type { ResourceKind } from '../resource-kind.js';
import { privateEndpointConnectionSchema } from '../resource-schemas.js';

const armType = 'Microsoft.ApiManagement/service/privateEndpointConnections';
const defaultDescriptions: Record<'Approved' | 'Rejected', string> = {
  Approved: 'The Private Endpoint Connection is approved.',
  Rejected: 'The Private Endpoint Connection is rejected.',
};

/** The ARM `properties` of a stored connection, as its GET answers them. */
export function connectionProperties(body: Record<string, unknown>): Record<string, unknown> {
  const c = body as unknown as StoredPrivateEndpointConnection;
  return {
    provisioningState: c.provisioningState,
    privateEndpoint: { id: c.privateEndpointId },
    privateLinkServiceConnectionState: { status: c.status, description: c.description, actionsRequired: c.actionsRequired },
  };
}

/** A stored connection as its full ARM resource (for the service's `privateEndpointConnections[]`). */
export function connectionResource(service: ServicePath, entity: StoredEntity): ArmResource {
  return { id: resourceId(service, entity.id), type: armType, name: entity.id.slice(entity.id.lastIndexOf('/') + 1), properties: connectionProperties(entity.body) };
}

/** Refuses what Private Link does not allow: approving a rejected or disconnected connection. */
function checkTransition(current: StoredPrivateEndpointConnection['status'], wanted: 'Approved' | 'Rejected'): void {
  if (current === 'Rejected' && wanted === 'Approved') {
    throw new ArmError(
      400,
      'InvalidPrivateEndpointConnectionStateTransition',
      'A rejected private endpoint connection cannot be approved again. Delete the private endpoint and create it again to request a new connection.',
    );
  }
  if (current === 'Disconnected') {
    throw new ArmError(
      400,
      'InvalidPrivateEndpointConnectionStateTransition',
      'The private endpoint of this connection was deleted (status Disconnected); delete the connection.',
    );
  }
}

export const privateEndpointConnectionKind: ResourceKind = {
  kind: networkKinds.privateEndpointConnection,
  armType,
  label: 'PrivateEndpointConnection',
  schema: privateEndpointConnectionSchema,
  deleteWithoutIfMatch: true,
  async prepare({ existing, given, method, name }) {
    if (method === 'PATCH') {
      throw new ArmError(405, 'MethodNotAllowed', 'A private endpoint connection is approved or rejected with PUT.');
    }
    if (!existing) {
      throw new ArmError(
        404,
        'ResourceNotFound',
        `PrivateEndpointConnection '${name}' not found. Connections are created by a private endpoint (Microsoft.Network/privateEndpoints) that targets the service.`,
      );
    }
    const state = given.privateLinkServiceConnectionState as { status: string; description?: string };
    const status = canonicalEnum(state.status, ['Approved', 'Rejected']) as 'Approved' | 'Rejected';
    if (status !== 'Approved' && status !== 'Rejected') {
      throw invalidField('privateLinkServiceConnectionState.status', "'privateLinkServiceConnectionState.status' must be 'Approved' or 'Rejected'.");
    }
    const stored = existing.body as unknown as StoredPrivateEndpointConnection;
    checkTransition(stored.status, status);
    const body: StoredPrivateEndpointConnection = {
      ...stored,
      status,
      description: state.description ?? defaultDescriptions[status],
      actionsRequired: 'None',
      provisioningState: 'Succeeded',
    };
    return body as unknown as Record<string, unknown>;
  },
  async present(entity) {
    return connectionProperties(entity.body);
  },
};

/**
 * The service resource itself (reference §5, example ApiManagementServiceGetService): GET and
 * HEAD answer its ARM body, PATCH changes the settings Gatehouse keeps (publisher, notification
 * sender, custom properties, tags, and the network properties of reference §6.1, whose rules
 * live in service-network-properties.ts). Endpoint URLs and IP addresses come from how the
 * process was started.
 */
import type { EntityStore, StoredEntity } from '../../core/entity-store.js';
import {
  checkServiceNetwork,
  listConnections,
  publicNetworkAccessOf,
  publicNetworkAccessProblem,
  renderVirtualNetworkConfiguration,
  virtualNetworkTypeOf,
} from '../network/service-network-properties.js';
import { ArmError, invalidField, validationError } from './arm-error.js';
import { serviceId, type ServicePath } from './arm-ids.js';
import { connectionResource } from './kinds/private-endpoint-connection.js';
import { etagHeader, etagMatches } from './etag.js';
import { ownValue } from './prototype-keys.js';
import { serviceSchema, serviceTagsSchema } from './service-schema.js';
import type { ArmRequest, ArmResponse } from './resource-operations.js';

/** Where the service's endpoints are, for the read-only URL properties. */
export interface ServiceEndpoints {
  gatewayUrl?: string;
  managementApiUrl?: string;
  developerPortalUrl?: string;
  portalUrl?: string;
  /** Addresses the gateway serves private endpoints on (filled from the running listeners). */
  privateIPAddresses?: string[];
  /** Public addresses of the gateway's listeners. */
  publicIPAddresses?: string[];
}

/** The store id of the service's own settings. */
export const serviceStoreId = 'service';
const storeId = serviceStoreId;

/** ARM renders an empty address list as null. */
function addresses(list: string[] | undefined): string[] | null {
  return list && list.length > 0 ? [...list] : null;
}

function render(
  service: ServicePath,
  entity: StoredEntity | undefined,
  connections: readonly StoredEntity[],
  endpoints: ServiceEndpoints,
  now: Date,
): Record<string, unknown> {
  const body = entity?.body ?? {};
  const properties: Record<string, unknown> = {
    publisherEmail: body.publisherEmail ?? 'admin@gatehouse.local',
    publisherName: body.publisherName ?? 'Gatehouse',
    notificationSenderEmail: body.notificationSenderEmail ?? 'apimgmt-noreply@gatehouse.local',
    provisioningState: 'Succeeded',
    targetProvisioningState: '',
    createdAtUtc: body.createdAtUtc ?? now.toISOString(),
    gatewayUrl: endpoints.gatewayUrl ?? '',
    gatewayRegionalUrl: endpoints.gatewayUrl ?? '',
    portalUrl: endpoints.portalUrl ?? '',
    developerPortalUrl: endpoints.developerPortalUrl ?? '',
    managementApiUrl: endpoints.managementApiUrl ?? '',
    scmUrl: '',
    hostnameConfigurations: [],
    publicIPAddresses: addresses(endpoints.publicIPAddresses),
    privateIPAddresses: addresses(endpoints.privateIPAddresses),
    additionalLocations: [],
    certificates: [],
    customProperties: body.customProperties ?? {},
    virtualNetworkType: virtualNetworkTypeOf(body),
    virtualNetworkConfiguration: renderVirtualNetworkConfiguration(body),
    disableGateway: body.disableGateway ?? false,
    apiVersionConstraint: {},
    publicNetworkAccess: publicNetworkAccessOf(body),
    privateEndpointConnections: connections.map((c) => connectionResource(service, c)),
    platformVersion: 'stv2',
  };
  const out: Record<string, unknown> = {
    id: serviceId(service),
    name: service.serviceName,
    type: 'Microsoft.ApiManagement/service',
    tags: body.tags ?? {},
    location: 'local',
    properties,
    sku: { name: 'Developer', capacity: 1 },
    identity: { type: 'None' },
    systemData: { lastModifiedAt: entity?.updatedAt ?? properties.createdAtUtc },
  };
  if (entity) out.etag = etagHeader(entity.etag);
  return out;
}

/** GET/HEAD/PATCH of the service resource. */
export async function handleServiceRequest(
  request: ArmRequest,
  deps: { store: EntityStore; now: () => Date; endpoints: ServiceEndpoints },
): Promise<ArmResponse> {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    const entity = await deps.store.get(storeId);
    const headers: Record<string, string> = entity ? { etag: etagHeader(entity.etag) } : {};
    if (method === 'HEAD') return { status: 200, headers };
    return { status: 200, headers, body: render(request.service, entity, await listConnections(deps.store), deps.endpoints, deps.now()) };
  }
  if (method !== 'PATCH') throw new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on the service; Gatehouse hosts one service.`);
  const given = (request.body?.properties ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || Array.isArray(given)) throw invalidField('properties', "'properties' must be an object.");
  const checked = serviceSchema.check(given, 'PATCH');
  const accessProblem = publicNetworkAccessProblem(ownValue(given, 'publicNetworkAccess'));
  if (accessProblem) checked.problems.push(accessProblem);
  const tags = request.body?.tags;
  if (tags !== undefined) checked.problems.push(...serviceTagsSchema.check({ tags }, 'PATCH').problems);
  if (checked.problems.length > 0) throw validationError(checked.problems);
  return deps.store.transaction(request.actor, async (tx) => {
    const existing = await tx.get(storeId);
    // ARM's service update takes If-Match optionally (unlike APIM's child resources).
    if (existing && request.ifMatch && !etagMatches(existing.etag, request.ifMatch)) {
      throw new ArmError(412, 'PreconditionFailed', 'Resource was modified since last retrieval. Refresh the entity and try again.');
    }
    const merged: Record<string, unknown> = { createdAtUtc: deps.now().toISOString(), ...(existing?.body ?? {}), ...checked.value };
    const body = await checkServiceNetwork(tx, serviceId(request.service), checked.value, merged);
    if (tags !== undefined) body.tags = tags;
    const entity = await tx.put({ kind: 'service', id: storeId, parent: '', body }, existing ? { ifMatch: existing.etag } : { ifNoneMatch: '*' });
    const connections = await listConnections(tx);
    return { status: 200, headers: { etag: etagHeader(entity.etag) }, body: render(request.service, entity, connections, deps.endpoints, deps.now()) };
  });
}

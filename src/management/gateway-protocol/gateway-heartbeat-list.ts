/**
 * `GET …/gateways/{gatewayId}/heartbeats` (Gatehouse's own, not in Azure's API): the instances of
 * a self-hosted gateway that reported to any management instance sharing the store within the
 * last day, the latest first (GatewayHeartbeatStore). Read-only; the admin token, like every
 * management request.
 */
import { ArmError, notFound } from '../arm/arm-error.js';
import type { ArmRequest, ArmResponse } from '../arm/resource-operations.js';
import type { EntityStore } from '../../core/entity-store.js';
import type { GatewayHeartbeatStore } from '../../core/gateway-heartbeat-store.js';

/** Whether a management request is for a gateway's heartbeats. */
export function isGatewayHeartbeatsRequest(request: ArmRequest): boolean {
  const s = request.segments;
  return s.length === 3 && s[0]!.toLowerCase() === 'gateways' && s[2]!.toLowerCase() === 'heartbeats';
}

/** Lists the heartbeats of the gateway the request names (404 when there is no such gateway). */
export async function listGatewayHeartbeats(request: ArmRequest, store: EntityStore, heartbeats: GatewayHeartbeatStore): Promise<ArmResponse> {
  if (request.method !== 'GET') throw new ArmError(405, 'MethodNotAllowed', `'heartbeats' answers GET, not ${request.method}.`);
  const gateway = await store.get(`gateways/${request.segments[1]}`);
  if (!gateway || gateway.kind !== 'gateway') throw notFound('Gateway');
  const value = await heartbeats.listHeartbeats(gateway.id);
  return { status: 200, headers: {}, body: { value, count: value.length } };
}

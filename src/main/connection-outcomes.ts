/**
 * Closes the loop between the gateway's listeners and the management plane (issue 4 §3): when
 * the gateway cannot listen on an approved connection's address, the connection goes to
 * `Failed` in the store with the reason; the service's `publicIPAddresses`/`privateIPAddresses`
 * show the addresses actually served.
 */
import type { EntityStore } from '../core/entity-store.js';
import type { Logger } from '../core/logger.js';
import type { ListenerOutcome } from '../model/network.js';
import type { ServiceEndpoints } from '../management/arm/service-resource.js';
import { recordListenerOutcome } from '../management/network/connection-outcome.js';
import type { GatewayRuntime } from './gateway-runtime.js';

/** A listener-outcome callback that writes each outcome onto its connection in the store. */
export function recordOutcomesInStore(store: EntityStore, logger: Logger): (connectionName: string, outcome: ListenerOutcome) => void {
  return (connectionName, outcome) => {
    if (!outcome.ok) logger.warn({ connection: connectionName, reason: outcome.message }, 'private endpoint connection cannot be served');
    recordListenerOutcome(store, 'gateway', connectionName, outcome).catch((err: unknown) => {
      logger.error({ err, connection: connectionName }, 'cannot record the private endpoint listener outcome in the store');
    });
  };
}

/** Makes the service resource report the addresses the running gateway serves. */
export function publishServedAddresses(endpoints: ServiceEndpoints, gateway: Pick<GatewayRuntime, 'networkAddresses'>): void {
  Object.defineProperty(endpoints, 'publicIPAddresses', { get: () => gateway.networkAddresses().public, enumerable: true, configurable: true });
  Object.defineProperty(endpoints, 'privateIPAddresses', { get: () => gateway.networkAddresses().private, enumerable: true, configurable: true });
}

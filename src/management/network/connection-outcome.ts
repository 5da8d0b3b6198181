/**
 * What the gateway's attempt to listen on an approved private endpoint connection's address did,
 * written back to the connection (issue 4 §3): a listener that could not bind leaves the
 * connection `Failed`, with `actionsRequired` naming the address and what to do, and nothing else
 * changes. Approving the connection again resets it to `Succeeded` and makes the gateway retry.
 * The process reports every attempt, so recording is idempotent: a report that changes nothing
 * writes nothing (no new ETag, no configuration version bump).
 */
import type { EntityStore } from '../../core/entity-store.js';
import type { ListenerOutcome } from '../../model/network.js';
import { connectionStoreId, networkKinds } from './network-ids.js';
import type { StoredPrivateEndpointConnection } from './stored-network.js';


/** What `recordListenerOutcome` did. */
export type RecordResult = 'written' | 'unchanged' | 'absent';

/**
 * Records a listener outcome on the connection `connectionName`, in its own transaction. A failure
 * sets provisioningState `Failed` and actionsRequired to the message; a success turns a pending
 * provisioning (`Creating`, `Updating`, `Pending`) into `Succeeded` and leaves `Failed` alone
 * (only approval resets it). Connections that are gone or no longer Approved are not touched.
 */
export async function recordListenerOutcome(store: EntityStore, actor: string, connectionName: string, outcome: ListenerOutcome): Promise<RecordResult> {
  return store.transaction(actor, async (tx) => {
    const entity = await tx.get(connectionStoreId(connectionName));
    if (!entity || entity.kind !== networkKinds.privateEndpointConnection) return 'absent';
    const stored = entity.body as unknown as StoredPrivateEndpointConnection;
    // A report about a listener the connection no longer has (rejected meanwhile) is stale.
    if (stored.status !== 'Approved') return 'unchanged';
    let next: StoredPrivateEndpointConnection;
    if (outcome.ok) {
      if (stored.provisioningState === 'Succeeded' || stored.provisioningState === 'Failed') return 'unchanged';
      next = { ...stored, provisioningState: 'Succeeded' };
    } else {
      const message = outcome.message;
      if (stored.provisioningState === 'Failed' && stored.actionsRequired === message) return 'unchanged';
      next = { ...stored, provisioningState: 'Failed', actionsRequired: message };
    }
    await tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: next as unknown as Record<string, unknown> }, { ifMatch: entity.etag });
    return 'written';
  });
}

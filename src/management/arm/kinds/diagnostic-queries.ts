/** Which diagnostics (service and API) send to a logger: a logger in use cannot simply go. */
import type { EntityTransaction, StoredEntity } from '../../../core/entity-store.js';
import { relativeReference } from '../arm-ids.js';

/** Every stored diagnostic whose `loggerId` names the logger stored at `loggerId` (`loggers/x`). */
export async function diagnosticsUsingLogger(tx: EntityTransaction, loggerId: string): Promise<StoredEntity[]> {
  const out: StoredEntity[] = [];
  for (const kind of ['diagnostic', 'apiDiagnostic']) {
    for (const d of (await tx.list({ kind })).items) {
      if (relativeReference(String(d.body.loggerId ?? '')).toLowerCase() === loggerId.toLowerCase()) out.push(d);
    }
  }
  return out;
}

/**
 * An identity provider whose client secret the folder leaves out (an export without
 * `--export-secrets` never writes it) keeps the stored secret; a new one is stored without a
 * secret, as a secret named value is imported empty, and the import says so. Azure requires the
 * secret when a provider is created through the REST API, and so does Gatehouse's.
 */
import type { EntityTransaction } from '../../core/entity-store.js';
import type { PlannedWrite } from './import-plan.js';

/** Returns `w` unchanged; records a warning when a new identity provider comes without its secret. */
export async function identityWrite(tx: EntityTransaction, w: PlannedWrite, warnings: string[]): Promise<PlannedWrite> {
  if (w.segments[0] !== 'identityProviders' || w.properties.clientSecret !== undefined) return w;
  if (await tx.get(w.segments.join('/'))) return w;
  warnings.push(`${w.file}: identity provider '${w.segments[1]}' has no clientSecret in the folder; imported without one (set it with the management API)`);
  return w;
}

/**
 * Whether two stored entities say the same thing: same kind, parent and body, whatever the key
 * order and however the secrets were sealed (each sealing of a value differs). An import
 * leaves such an entity as it is, so re-importing an unchanged folder writes nothing.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { sealedFields } from './sealed-fields.js';
import { withSortedKeys } from './write-folder-files.js';

type Content = Pick<StoredEntity, 'kind' | 'parent' | 'body'>;

/** The body as comparable text: keys sorted, sealed secrets opened (an unreadable one stays sealed, so it differs). */
function canonicalBody(e: Content, sealer: SecretSealer): string {
  const body: Record<string, unknown> = { ...e.body };
  for (const field of sealedFields(e.kind, body)) {
    if (typeof body[field] !== 'string') continue;
    try {
      body[field] = { opened: sealer.open(body[field] as string) };
    } catch {
      // Left sealed: compares unequal to any other sealing, so the entity counts as changed.
    }
  }
  return JSON.stringify(withSortedKeys(body));
}

/** True when `a` and `b` hold the same resource content (ETags and write times aside). */
export function sameContent(a: Content, b: Content, sealer: SecretSealer): boolean {
  return a.kind === b.kind && a.parent.toLowerCase() === b.parent.toLowerCase() && canonicalBody(a, sealer) === canonicalBody(b, sealer);
}

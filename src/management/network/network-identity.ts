/**
 * Identity fields every rendered network resource carries: the weak `etag` Azure's network
 * provider writes (`W/"…"`) and a `resourceGuid` that stays the same for the life of a stored
 * resource, derived from its store id so nothing extra needs storing.
 */
import { createHash } from 'node:crypto';
import type { StoredEntity } from '../../core/entity-store.js';

/** The body `etag` of a network resource: the store's tag, weak-quoted. */
export function weakEtag(entity: Pick<StoredEntity, 'etag'>): string {
  return `W/"${entity.etag}"`;
}

/** A stable GUID for a stored resource (same id, same GUID; ids compare case-insensitively). */
export function resourceGuid(storeId: string): string {
  const hex = createHash('sha256').update(storeId.toLowerCase(), 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The transaction an import writes through: a put whose entity is already stored with the
 * same content is not written (no new ETag, no audit record, no configuration version), so an
 * import reports and causes only real changes. Fields the folder carries that the management
 * API computes itself (a subscription's `createdDate`, a user's `registrationDate`) can be
 * preset for an entity's next put, so the history a folder records survives the import; where
 * the folder has none, the stored value is kept.
 */
import type { EntityTransaction, ListOptions, ListResult, StoredEntity, WriteCondition } from '../../core/entity-store.js';
import { entitiesByKey, type IndexedList, type KeyedLookup, type ListIndex } from '../arm/keyed-lookup.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { sameContent } from './entity-content.js';

export class UnchangedWritesSkipped implements EntityTransaction, KeyedLookup {
  private readonly presets = new Map<string, { values: Record<string, unknown>; fields: readonly string[] }>();

  constructor(
    private readonly tx: EntityTransaction,
    private readonly sealer: SecretSealer,
  ) {}

  /**
   * On the next put of `id` (case-insensitive), each of `fields` is set to its value in `values`,
   * else to the stored entity's value, else left as the kind computed it.
   */
  preset(id: string, fields: readonly string[], values: Record<string, unknown>): void {
    if (fields.length > 0) this.presets.set(id.toLowerCase(), { values, fields });
  }

  get(id: string): Promise<StoredEntity | undefined> {
    return this.tx.get(id);
  }

  list(options: ListOptions): Promise<ListResult> {
    return this.tx.list(options);
  }

  /** The wrapped transaction's keyed lookups (its indexes, when it keeps them). */
  lookup(list: IndexedList, index: ListIndex, key: string): Promise<StoredEntity[]> {
    return entitiesByKey(this.tx, list, index, key);
  }

  async put(entity: { kind: string; id: string; parent: string; body: Record<string, unknown> }, condition?: WriteCondition): Promise<StoredEntity> {
    const current = await this.tx.get(entity.id);
    const preset = this.presets.get(entity.id.toLowerCase());
    if (preset) {
      this.presets.delete(entity.id.toLowerCase());
      const body = { ...entity.body };
      for (const field of preset.fields) {
        const value = preset.values[field] ?? current?.body[field];
        if (value !== undefined) body[field] = value;
      }
      entity = { ...entity, body };
    }
    const conditionHolds = !condition || (condition.ifNoneMatch === undefined && (condition.ifMatch === undefined || condition.ifMatch === '*' || condition.ifMatch === current?.etag));
    if (current && conditionHolds && sameContent(current, entity, this.sealer)) return current;
    return this.tx.put(entity, condition);
  }

  delete(id: string, condition?: WriteCondition): Promise<boolean> {
    return this.tx.delete(id, condition);
  }
}

/**
 * A read cache over the import's transaction. The management API's kind rules read a lot as
 * they write: each API write lists every API (path uniqueness), each operation write reads its
 * API, and so on. Through the store each read is a query and a JSON parse of every row, which
 * made a 3,000-API import quadratic in store reads. Inside one transaction nobody else writes,
 * so reads are answered from memory, kept up to date by the writes made through this cache
 * (a put updates the entries it touches; a delete, which may remove descendants, clears it).
 * Keyed lookups (arm/keyed-lookup.ts) are answered from indexes over the cached lists, kept up
 * to date the same way, so a check like "which current API has this path" is not a scan.
 */
import type { EntityTransaction, ListOptions, ListResult, StoredEntity, WriteCondition } from '../../core/entity-store.js';
import type { IndexedList, KeyedLookup, ListIndex } from '../arm/keyed-lookup.js';

/** The key of a cached complete list (no skip/top): one kind, under one parent or (`*`) all. */
const listKey = (kind: string, parent: string | undefined): string => `${kind}\u0000${parent === undefined ? '*' : parent.toLowerCase()}`;

/** Where `lowerId` is, or would be inserted, in `items` (sorted by lower-cased id). */
function position(items: readonly StoredEntity[], lowerId: string): { at: number; found: boolean } {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const id = items[mid]!.id.toLowerCase();
    if (id === lowerId) return { at: mid, found: true };
    if (id < lowerId) low = mid + 1;
    else high = mid;
  }
  return { at: low, found: false };
}

/** One index over one list: its definition, and key → the entities with that key. */
interface KeptIndex {
  list: IndexedList;
  index: ListIndex;
  byKey: Map<string, StoredEntity[]>;
}

/** Whether `entity` belongs to the complete list `list`. */
const inList = (entity: StoredEntity, list: IndexedList): boolean => entity.kind === list.kind && (list.parent === undefined || entity.parent.toLowerCase() === list.parent.toLowerCase());

export class ReadCachedTransaction implements EntityTransaction, KeyedLookup {
  /** Lower-cased id → the stored entity, or null when known to be absent. */
  private readonly entities = new Map<string, StoredEntity | null>();
  /** Complete lists by listKey, each sorted by lower-cased id. */
  private readonly lists = new Map<string, StoredEntity[]>();
  /** Indexes by listKey and index name. */
  private readonly indexes = new Map<string, KeptIndex>();

  constructor(private readonly tx: EntityTransaction) {}

  async get(id: string): Promise<StoredEntity | undefined> {
    const key = id.toLowerCase();
    const cached = this.entities.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const entity = await this.tx.get(id);
    this.entities.set(key, entity ?? null);
    return entity;
  }

  async list(options: ListOptions): Promise<ListResult> {
    if (options.skip !== undefined || options.top !== undefined) return this.tx.list(options);
    const key = listKey(options.kind, options.parent);
    let items = this.lists.get(key);
    if (!items) {
      items = (await this.tx.list(options)).items;
      this.lists.set(key, items);
    }
    return { items: [...items], total: items.length };
  }

  async lookup(list: IndexedList, index: ListIndex, key: string): Promise<StoredEntity[]> {
    const at = `${listKey(list.kind, list.parent)}\u0000${index.name}`;
    let kept = this.indexes.get(at);
    if (!kept) {
      kept = { list, index, byKey: new Map() };
      for (const e of (await this.list(list)).items) addToIndex(kept, e);
      this.indexes.set(at, kept);
    }
    return [...(kept.byKey.get(key) ?? [])];
  }

  async put(entity: { kind: string; id: string; parent: string; body: Record<string, unknown> }, condition?: WriteCondition): Promise<StoredEntity> {
    const previous = await this.get(entity.id);
    const stored = await this.tx.put(entity, condition);
    const lowerId = stored.id.toLowerCase();
    this.entities.set(lowerId, stored);
    // Only the lists of the entity's kind (all parents, and its parent) can hold it.
    if (previous) {
      for (const key of [listKey(previous.kind, undefined), listKey(previous.kind, previous.parent)]) {
        const items = this.lists.get(key);
        const { at, found } = items ? position(items, lowerId) : { at: 0, found: false };
        if (found) items!.splice(at, 1);
      }
    }
    for (const key of [listKey(stored.kind, undefined), listKey(stored.kind, stored.parent)]) {
      const items = this.lists.get(key);
      if (items) items.splice(position(items, lowerId).at, 0, stored);
    }
    for (const kept of this.indexes.values()) {
      if (previous && inList(previous, kept.list)) removeFromIndex(kept, previous);
      if (inList(stored, kept.list)) addToIndex(kept, stored);
    }
    return stored;
  }

  async delete(id: string, condition?: WriteCondition): Promise<boolean> {
    this.entities.clear();
    this.lists.clear();
    this.indexes.clear();
    return this.tx.delete(id, condition);
  }
}

function addToIndex(kept: KeptIndex, entity: StoredEntity): void {
  const key = kept.index.key(entity);
  if (key === undefined) return;
  const bucket = kept.byKey.get(key);
  if (bucket) bucket.push(entity);
  else kept.byKey.set(key, [entity]);
}

function removeFromIndex(kept: KeptIndex, entity: StoredEntity): void {
  const key = kept.index.key(entity);
  const bucket = key === undefined ? undefined : kept.byKey.get(key);
  if (!bucket) return;
  const lowerId = entity.id.toLowerCase();
  const at = bucket.findIndex((e) => e.id.toLowerCase() === lowerId);
  if (at !== -1) bucket.splice(at, 1);
  if (bucket.length === 0) kept.byKey.delete(key!);
}

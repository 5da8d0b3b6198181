/**
 * The entity store port (DESIGN.md "Ports, not globals"): where the management plane keeps
 * resources. SQLite (embedded default) and PostgreSQL implement it; one conformance suite runs
 * against both. Every write happens in a transaction that changes nothing when it fails, and
 * every committed transaction bumps the configuration version the gateway follows.
 */

/** A stored resource. `id` is its path below the service, e.g. `apis/echo-api;rev=2/operations/get`. */
export interface StoredEntity {
  /** Resource kind, e.g. `api`, `operation`, `product`, `subscription`, `policy`. */
  kind: string;
  /** Path below the service, unique across kinds (case-insensitive, stored as given). */
  id: string;
  /** The path of the parent resource (`apis/echo-api` for an operation), or '' at the top. */
  parent: string;
  /** The resource's ARM `properties` (and any other top-level fields it keeps), as JSON. */
  body: Record<string, unknown>;
  /** Opaque entity tag, new on every write. */
  etag: string;
  /** ISO 8601 time of the last write. */
  updatedAt: string;
}

export interface ListOptions {
  kind: string;
  /** Only children of this parent path. */
  parent?: string;
  skip?: number;
  top?: number;
}

export interface ListResult {
  /** Ordered by id, case-insensitively (byte order of the lower-cased id, in every engine). */
  items: StoredEntity[];
  /** How many match before skip/top. */
  total: number;
}

/** What a write asks for, checked inside the transaction. */
export interface WriteCondition {
  /** The entity must exist with this ETag (`*` = must exist). */
  ifMatch?: string;
  /** The entity must not exist. */
  ifNoneMatch?: '*';
}

/**
 * One audit record: who changed what, when, ETag before and after. Written in the same
 * transaction as the change; a delete writes one per entity it removed (descendants too).
 */
export interface AuditRecord {
  at: string;
  actor: string;
  action: 'put' | 'delete';
  kind: string;
  id: string;
  etagBefore: string | null;
  etagAfter: string | null;
}

/** A write failed its condition: 412 (ETag mismatch), 404 (missing) or 409 (exists). */
export class ConditionFailedError extends Error {
  constructor(
    readonly code: 'PreconditionFailed' | 'NotFound' | 'Conflict',
    message: string,
  ) {
    super(message);
    this.name = 'ConditionFailedError';
  }
}

/** Reads and writes inside one transaction. */
export interface EntityTransaction {
  get(id: string): Promise<StoredEntity | undefined>;
  list(options: ListOptions): Promise<ListResult>;
  /**
   * Creates or replaces; returns the stored entity with its new ETag. A replacement keeps the
   * id's casing from creation (ARM names are case-insensitive).
   */
  put(entity: { kind: string; id: string; parent: string; body: Record<string, unknown> }, condition?: WriteCondition): Promise<StoredEntity>;
  /** Deletes the entity and every entity below it (`<id>/…`); false when it did not exist. */
  delete(id: string, condition?: WriteCondition): Promise<boolean>;
}

/**
 * What a store that can push changes tells its follower (EntityStore.watchVersion). The calls
 * come from the store's own connection: a follower must not throw from them.
 */
export interface VersionWatcher {
  /** A writing transaction committed (in this process or another): `version` is its version. */
  changed(version: number): void;
  /**
   * The store listens for changes now: at the start, and again after a lost connection.
   * Changes committed before this call may have been missed: read `version()` now.
   */
  listening(): void;
  /** The change channel dropped or could not connect; the store tries again in `retryInMs`. */
  lost(reason: string, retryInMs: number): void;
}

export interface EntityStore {
  /** Creates tables and runs pending migrations. */
  migrate(): Promise<void>;
  get(id: string): Promise<StoredEntity | undefined>;
  list(options: ListOptions): Promise<ListResult>;
  /**
   * Runs `work` in one transaction; on any throw nothing is written. `actor` goes to the audit
   * log. Writing transactions run one at a time (across processes too), so a condition checked
   * inside holds until commit. An engine may run `work` again after a transient database
   * conflict: keep effects outside the store out of it. Calling `transaction` inside `work`
   * is refused (it would wait for itself).
   */
  transaction<T>(actor: string, work: (tx: EntityTransaction) => Promise<T>): Promise<T>;
  /** Every entity, for building a configuration snapshot. */
  all(): Promise<StoredEntity[]>;
  /** The configuration version: incremented by every committed transaction that wrote. */
  version(): Promise<number>;
  /**
   * Pushes committed versions to `watcher` as they happen, also those committed by other
   * processes sharing the storage (PostgreSQL LISTEN/NOTIFY). Absent on engines that cannot:
   * their followers poll `version()`. Returns the function that stops watching.
   */
  watchVersion?(watcher: VersionWatcher): () => Promise<void>;
  /**
   * Audit records, oldest first: those written at or after `since` (ISO 8601), at most the
   * newest `limit` of them.
   */
  audit(options?: { since?: string; limit?: number }): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/**
 * The embedded entity store: one SQLite file in the data folder (better-sqlite3, WAL).
 *
 * Two connections: a writer that runs one transaction at a time behind an async mutex, and a
 * read-only reader for reads outside transactions. WAL lets the reader see the last committed
 * state while a transaction is open on the writer, so nobody reads half of a transaction.
 * Gateway heartbeats (GatewayHeartbeatStore) are written on the writer too, behind the same
 * mutex, each in a small transaction of its own that leaves the configuration version alone.
 */
import { chmodSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type {
  AuditRecord,
  EntityStore,
  EntityTransaction,
  ListOptions,
  ListResult,
  StoredEntity,
  WriteCondition,
} from '../core/entity-store.js';
import { heartbeatRetention, type GatewayHeartbeat, type GatewayHeartbeatStore, type HeartbeatReport } from '../core/gateway-heartbeat-store.js';
import { systemClock } from '../core/ports.js';
import type { Clock } from '../core/ports.js';
import { AsyncMutex } from './async-mutex.js';
import { ScopedAsyncStorage } from '../core/scoped-async-storage.js';
import { checkCondition, checkEntityShape, checkId, descendantRange, entityKey, newEtag, pageOf } from './entity-keys.js';
import { sqliteMigrations } from './migrations/sqlite-migrations.js';
import { migratedStore } from './migrated-store.js';
import { ENTITY_COLUMNS, HEARTBEAT_COLUMNS, heartbeatCutoff, toAudit, toEntity, toHeartbeat } from './entity-rows.js';
import type { AuditRow, EntityRow, HeartbeatRow } from './entity-rows.js';

/** The database file's name inside the data folder. */
export const SQLITE_FILE_NAME = 'gatehouse.db';

export interface SqliteEntityStoreOptions {
  /** The data folder; created (mode 0700) when missing. The database is `gatehouse.db` in it. */
  dataDir: string;
  /** Time of writes and audit records. */
  clock?: Clock;
  /** How long a write waits for another process holding the file's write lock (default 5 s). */
  busyTimeoutMs?: number;
}

type Db = Database.Database;

/** Prepared statements by connection and SQL: preparing is most of a small statement's cost, and an import runs hundreds of thousands. */
const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** The statement for `sql` on `db`, prepared once per connection. */
function prepared(db: Db, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let statement = byText.get(sql);
  if (!statement) byText.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** Database files open in this process (see the constructor). */
const openFiles = new Set<string>();

/** The entity store over a SQLite file in the data folder. */
export class SqliteEntityStore implements EntityStore, GatewayHeartbeatStore {
  /** Path of the database file. */
  readonly file: string;
  private readonly writer: Db;
  private readonly reader: Db;
  private readonly clock: Clock;
  private readonly mutex = new AsyncMutex();
  private readonly insideTransaction = new ScopedAsyncStorage<true>();
  private closed = false;

  /** Opens (creating when new) the store in `options.dataDir` and runs pending migrations. */
  static async open(options: SqliteEntityStoreOptions): Promise<SqliteEntityStore> {
    return migratedStore(new SqliteEntityStore(options));
  }

  constructor(options: SqliteEntityStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.file = join(realpathSync(options.dataDir), SQLITE_FILE_NAME);
    // A second instance in the same process would wait for the first's write lock with a
    // synchronous sleep, freezing the very event loop the first needs to commit.
    if (openFiles.has(this.file)) {
      throw new Error(`${this.file} is already open in this process: share one SqliteEntityStore`);
    }
    this.clock = options.clock ?? systemClock;
    const timeout = options.busyTimeoutMs ?? 5000;
    this.writer = new Database(this.file, { timeout });
    try {
      // The file holds sealed secrets and the audit log: only the owner reads it. SQLite gives
      // the -wal and -shm files the database file's mode.
      chmodSync(this.file, 0o600);
      this.writer.pragma('journal_mode = WAL');
      // FULL: a commit the management API acknowledged survives a power cut, not only a crash.
      this.writer.pragma('synchronous = FULL');
      // Heartbeats go with their gateway by the foreign key's ON DELETE CASCADE (migration 2).
      this.writer.pragma('foreign_keys = ON');
      if (this.writer.pragma('foreign_keys', { simple: true }) !== 1) throw new Error('this SQLite build cannot enforce foreign keys');
      this.reader = new Database(this.file, { readonly: true, fileMustExist: true, timeout });
    } catch (error) {
      this.writer.close();
      throw error;
    }
    openFiles.add(this.file);
  }

  /** Creates the tables and runs every migration newer than the file's schema version. */
  async migrate(): Promise<void> {
    this.assertOpen();
    await this.mutex.run(async () => {
      const db = this.writer;
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
        );
        const row = prepared(db, 'SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
        const applied = row.v ?? 0;
        const latest = sqliteMigrations.at(-1)?.version ?? 0;
        if (applied > latest) {
          throw new Error(
            `the database ${this.file} has schema version ${applied}, newer than this Gatehouse knows (${latest}): use a newer Gatehouse`,
          );
        }
        for (const migration of sqliteMigrations) {
          if (migration.version <= applied) continue;
          db.exec(migration.sql);
          prepared(db, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
            migration.version,
            migration.name,
            this.nowIso(),
          );
        }
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** The schema versions recorded in `schema_migrations`, in order. */
  async schemaVersions(): Promise<number[]> {
    this.assertOpen();
    const rows = prepared(this.reader, 'SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    return rows.map((r) => r.version);
  }

  /** Reads one entity as last committed. */
  async get(id: string): Promise<StoredEntity | undefined> {
    this.assertOpen();
    return getEntity(this.reader, id);
  }

  /** Lists one kind (optionally below one parent) as last committed. */
  async list(options: ListOptions): Promise<ListResult> {
    this.assertOpen();
    // One read transaction, so the total and the page come from the same commit.
    return this.reader.transaction(() => listEntities(this.reader, options))();
  }

  /** Every entity, ordered by id (case-insensitively). */
  async all(): Promise<StoredEntity[]> {
    this.assertOpen();
    const rows = prepared(this.reader, `SELECT ${ENTITY_COLUMNS} FROM entities ORDER BY key`).all() as EntityRow[];
    return rows.map(toEntity);
  }

  /** The number of committed writing transactions. */
  async version(): Promise<number> {
    this.assertOpen();
    return (prepared(this.reader, 'SELECT version FROM config_version WHERE id = 1').get() as { version: number }).version;
  }

  /** Audit records at or after `since`, the newest `limit` of them, oldest first. */
  async audit(options: { since?: string; limit?: number } = {}): Promise<AuditRecord[]> {
    this.assertOpen();
    const rows = prepared(
      this.reader,
        `SELECT * FROM (
           SELECT seq, at, actor, action, kind, id, etag_before, etag_after FROM audit_log
           WHERE at >= ? ORDER BY seq DESC LIMIT ?
         ) ORDER BY seq`,
      )
      .all(options.since ?? '', options.limit ?? -1) as AuditRow[];
    return rows.map(toAudit);
  }

  /** Runs `work` in one IMMEDIATE transaction on the writer; rolls back on any throw. */
  async transaction<T>(actor: string, work: (tx: EntityTransaction) => Promise<T>): Promise<T> {
    this.assertNotInsideTransaction('EntityStore.transaction');
    return this.mutex.run(async () => {
      this.assertOpen();
      const db = this.writer;
      const tx = new SqliteTransaction(db, actor, () => this.nowIso());
      // IMMEDIATE takes the write lock now, so another process cannot slip a write in between
      // this transaction's reads and writes.
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.insideTransaction.run(true, () => work(tx));
        // better-sqlite3 runs each call to its end synchronously, so no call can still be running.
        tx.end();
        if (tx.wrote) prepared(db, 'UPDATE config_version SET version = version + 1 WHERE id = 1').run();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        tx.end();
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** Upserts an instance's heartbeat and applies the retention, in one IMMEDIATE transaction on the writer. */
  async recordHeartbeat(gatewayId: string, report: HeartbeatReport): Promise<boolean> {
    checkId(gatewayId);
    // The writer is behind the mutex a running transaction holds: waiting for it there would never end.
    this.assertNotInsideTransaction('recordHeartbeat');
    return this.mutex.run(async () => {
      this.assertOpen();
      const now = this.clock.now();
      return this.writer.transaction(() => writeHeartbeat(this.writer, entityKey(gatewayId), report, now)).immediate();
    });
  }

  /** The gateway's instances heard from within the retention, the latest recorded first. */
  async listHeartbeats(gatewayId: string): Promise<GatewayHeartbeat[]> {
    this.assertOpen();
    checkId(gatewayId);
    const rows = prepared(
      this.reader,
      `SELECT ${HEARTBEAT_COLUMNS} FROM gateway_heartbeats WHERE gateway_key = ? AND last_heartbeat >= ? ORDER BY seq DESC`,
    ).all(entityKey(gatewayId), heartbeatCutoff(this.clock.now())) as HeartbeatRow[];
    return rows.map(toHeartbeat);
  }

  /** Waits for the running transaction, then closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.reader.close();
      this.writer.close();
      openFiles.delete(this.file);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the entity store is closed');
  }

  private assertNotInsideTransaction(what: string): void {
    this.assertOpen();
    if (this.insideTransaction.current) {
      throw new Error(`${what} was called inside a transaction: use the transaction passed to the work`);
    }
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** The reads and writes of one open transaction on the writer connection. */
class SqliteTransaction implements EntityTransaction {
  wrote = false;
  private ended = false;

  constructor(
    private readonly db: Db,
    private readonly actor: string,
    private readonly nowIso: () => string,
  ) {}

  async get(id: string): Promise<StoredEntity | undefined> {
    this.assertActive();
    return getEntity(this.db, id);
  }

  async list(options: ListOptions): Promise<ListResult> {
    this.assertActive();
    return listEntities(this.db, options);
  }

  async put(
    entity: { kind: string; id: string; parent: string; body: Record<string, unknown> },
    condition?: WriteCondition,
  ): Promise<StoredEntity> {
    this.assertActive();
    checkEntityShape(entity);
    const key = entityKey(entity.id);
    const existing = prepared(this.db, 'SELECT id, etag FROM entities WHERE key = ?').get(key) as
      | { id: string; etag: string }
      | undefined;
    checkCondition(entity.id, existing?.etag, condition);
    const stored: EntityRow = {
      kind: entity.kind,
      id: existing?.id ?? entity.id,
      parent: entity.parent,
      body: JSON.stringify(entity.body),
      etag: newEtag(),
      updated_at: this.nowIso(),
    };
    prepared(
      this.db,
        `INSERT INTO entities (key, id, kind, parent_key, parent, body, etag, updated_at)
         VALUES (@key, @id, @kind, @parent_key, @parent, @body, @etag, @updated_at)
         ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, parent_key = excluded.parent_key,
           parent = excluded.parent, body = excluded.body, etag = excluded.etag, updated_at = excluded.updated_at`,
      )
      .run({ ...stored, key, parent_key: entityKey(entity.parent) });
    this.record('put', stored.kind, stored.id, existing?.etag ?? null, stored.etag, stored.updated_at);
    this.wrote = true;
    return toEntity(stored);
  }

  async delete(id: string, condition?: WriteCondition): Promise<boolean> {
    this.assertActive();
    checkId(id);
    const key = entityKey(id);
    const existing = prepared(this.db, 'SELECT etag FROM entities WHERE key = ?').get(key) as { etag: string } | undefined;
    checkCondition(id, existing?.etag, condition);
    if (!existing) return false;
    const { lower, upper } = descendantRange(key);
    const where = 'key = ? OR (key >= ? AND key < ?)';
    const victims = prepared(this.db, `SELECT kind, id, etag FROM entities WHERE ${where} ORDER BY key`).all(key, lower, upper) as {
      kind: string;
      id: string;
      etag: string;
    }[];
    prepared(this.db, `DELETE FROM entities WHERE ${where}`).run(key, lower, upper);
    const at = this.nowIso();
    for (const victim of victims) this.record('delete', victim.kind, victim.id, victim.etag, null, at);
    this.wrote = true;
    return true;
  }

  /** Closes this transaction object: a call after commit or rollback is a bug, not a write. */
  end(): void {
    this.ended = true;
  }

  private record(action: 'put' | 'delete', kind: string, id: string, before: string | null, after: string | null, at: string): void {
    prepared(this.db, 'INSERT INTO audit_log (at, actor, action, kind, id, etag_before, etag_after) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(at, this.actor, action, kind, id, before, after);
  }

  private assertActive(): void {
    if (this.ended) throw new Error('the transaction has already ended');
  }
}

/**
 * Upserts the beat of `report.instanceId` below the gateway keyed `gatewayKey` (nothing when no
 * entity has that key), then deletes every entry past the retention. Inside a transaction.
 */
function writeHeartbeat(db: Db, gatewayKey: string, report: HeartbeatReport, nowMs: number): boolean {
  const at = new Date(nowMs).toISOString();
  const written = prepared(
    db,
    `INSERT INTO gateway_heartbeats (gateway_key, instance_id, hostname, version, first_heartbeat, last_heartbeat, seq)
     SELECT @key, @instanceId, @hostname, @version, @at, @at,
       (SELECT coalesce(max(seq), 0) + 1 FROM gateway_heartbeats WHERE gateway_key = @key)
     WHERE EXISTS (SELECT 1 FROM entities WHERE key = @key)
     ON CONFLICT (gateway_key, instance_id) DO UPDATE SET hostname = excluded.hostname, version = excluded.version,
       last_heartbeat = excluded.last_heartbeat, seq = excluded.seq`,
  ).run({ key: gatewayKey, instanceId: report.instanceId, hostname: report.hostname, version: report.version, at }).changes;
  if (written === 0) return false;
  prepared(db, 'DELETE FROM gateway_heartbeats WHERE last_heartbeat < ?').run(heartbeatCutoff(nowMs));
  // Everything from the (N+1)-th latest down; NULL (nothing) while N or fewer are kept.
  prepared(
    db,
    `DELETE FROM gateway_heartbeats WHERE gateway_key = @key AND seq <= (
       SELECT seq FROM gateway_heartbeats WHERE gateway_key = @key ORDER BY seq DESC LIMIT 1 OFFSET @keep)`,
  ).run({ key: gatewayKey, keep: heartbeatRetention.instancesPerGateway });
  return true;
}

function getEntity(db: Db, id: string): StoredEntity | undefined {
  checkId(id);
  const row = prepared(db, `SELECT ${ENTITY_COLUMNS} FROM entities WHERE key = ?`).get(entityKey(id)) as EntityRow | undefined;
  return row ? toEntity(row) : undefined;
}

function listEntities(db: Db, options: ListOptions): ListResult {
  const { skip, top } = pageOf(options);
  const where = options.parent === undefined ? 'kind = ?' : 'kind = ? AND parent_key = ?';
  const params = options.parent === undefined ? [options.kind] : [options.kind, entityKey(options.parent)];
  const total = (prepared(db, `SELECT count(*) AS n FROM entities WHERE ${where}`).get(...params) as { n: number }).n;
  const rows = prepared(db, `SELECT ${ENTITY_COLUMNS} FROM entities WHERE ${where} ORDER BY key LIMIT ? OFFSET ?`)
    .all(...params, top ?? -1, skip) as EntityRow[];
  return { items: rows.map(toEntity), total };
}


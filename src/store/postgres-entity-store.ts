/**
 * The scale-out entity store: PostgreSQL through a `pg` pool, for several management instances
 * sharing one database. Same tables and meaning as the SQLite store, in a schema of its own.
 *
 * Writers serialize on the configuration-version row: each transaction locks it (`SELECT … FOR
 * UPDATE`) before anything else, so across every instance one writing transaction runs at a
 * time under READ COMMITTED, each of its statements seeing every earlier commit. A condition
 * checked inside a transaction therefore still holds at its commit. Transient conflicts
 * (serialization failure, deadlock) are retried a bounded number of times.
 *
 * The transaction that bumps the version also NOTIFYs the schema's change channel with the new
 * version, which PostgreSQL delivers only if it commits; `watchVersion` hears it on a connection
 * of its own (postgres-change-listener.ts), so every instance learns of a write at once.
 *
 * Gateway heartbeats (GatewayHeartbeatStore) are written in small transactions of their own that
 * never take the writers' lock nor bump the version: they take turns among themselves on an
 * advisory lock named after the schema, so their upserts and deletions never deadlock each other.
 */
import pg from 'pg';
import type {
  AuditRecord,
  EntityStore,
  EntityTransaction,
  ListOptions,
  ListResult,
  StoredEntity,
  VersionWatcher,
  WriteCondition,
} from '../core/entity-store.js';
import { heartbeatRetention, type GatewayHeartbeat, type GatewayHeartbeatStore, type HeartbeatReport } from '../core/gateway-heartbeat-store.js';
import { systemClock } from '../core/ports.js';
import type { Clock } from '../core/ports.js';
import { AsyncMutex } from './async-mutex.js';
import { ScopedAsyncStorage } from '../core/scoped-async-storage.js';
import { changeChannel, PostgresChangeListener } from './postgres-change-listener.js';
import { checkCondition, checkEntityShape, checkId, descendantRange, entityKey, newEtag, pageOf } from './entity-keys.js';
import { postgresMigrations } from './migrations/postgres-migrations.js';
import { migratedStore } from './migrated-store.js';
import { ENTITY_COLUMNS, HEARTBEAT_COLUMNS, heartbeatCutoff, toAudit, toEntity, toHeartbeat } from './entity-rows.js';
import type { AuditRow, EntityRow, HeartbeatRow } from './entity-rows.js';

export interface PostgresEntityStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** The schema holding Gatehouse's tables, created when missing (default `gatehouse`). */
  schema?: string;
  clock?: Clock;
  /** Connections in the pool (default 5). */
  poolSize?: number;
  /** Tries of a transaction that hits a transient conflict (default 5). */
  maxAttempts?: number;
  /** The change listener's first reconnection delay in milliseconds (default 250; it doubles up to 10 s). */
  listenerRetryMs?: number;
}

/** Something that runs a query: the pool or a transaction's client. */
type Queryable = Pick<pg.PoolClient, 'query'>;

// serialization_failure and deadlock_detected: the transaction did nothing and may run again.
const RETRYABLE_CODES = new Set(['40001', '40P01']);
// foreign_key_violation: a heartbeat's gateway was deleted by a transaction that committed meanwhile.
const FOREIGN_KEY_VIOLATION = '23503';

/** The entity store over PostgreSQL. */
export class PostgresEntityStore implements EntityStore, GatewayHeartbeatStore {
  /** The schema name as given (validated). */
  readonly schema: string;
  private readonly s: string;
  private readonly pool: pg.Pool;
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly connectionString: string;
  private readonly listenerRetryMs: number | undefined;
  /** The schema's notification channel (postgres-change-listener.ts changeChannel). */
  readonly channel: string;
  private listener: PostgresChangeListener | null = null;
  private readonly insideTransaction = new ScopedAsyncStorage<true>();
  private closed = false;

  /** Connects and runs pending migrations. */
  static async open(options: PostgresEntityStoreOptions): Promise<PostgresEntityStore> {
    return migratedStore(new PostgresEntityStore(options));
  }

  constructor(options: PostgresEntityStoreOptions) {
    this.schema = options.schema ?? 'gatehouse';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(this.schema)) {
      throw new TypeError(`invalid PostgreSQL schema name '${this.schema}': use letters, digits and _ (at most 63)`);
    }
    this.s = `"${this.schema}"`;
    this.channel = changeChannel(this.schema);
    this.connectionString = options.connectionString;
    this.listenerRetryMs = options.listenerRetryMs;
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 5 });
    // An idle pooled connection the server closes emits 'error' on the pool; unhandled, that
    // would end the process. The pool drops that connection and the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Creates the schema and tables and runs every migration newer than the schema's version. */
  async migrate(): Promise<void> {
    this.assertOpen();
    const s = this.s;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        // Instances starting together take turns; the lock ends with the transaction.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gatehouse.migrate.${this.schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
        );
        const result = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.schema_migrations`);
        const applied = result.rows[0]?.v ?? 0;
        const latest = postgresMigrations.at(-1)?.version ?? 0;
        if (applied > latest) {
          throw new Error(
            `the PostgreSQL schema ${this.schema} has version ${applied}, newer than this Gatehouse knows (${latest}): use a newer Gatehouse`,
          );
        }
        for (const migration of postgresMigrations) {
          if (migration.version <= applied) continue;
          await client.query(migration.sql(s));
          await client.query(`INSERT INTO ${s}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [
            migration.version,
            migration.name,
            this.nowIso(),
          ]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /** The schema versions recorded in `schema_migrations`, in order. */
  async schemaVersions(): Promise<number[]> {
    this.assertOpen();
    const result = await this.pool.query<{ version: number }>(`SELECT version FROM ${this.s}.schema_migrations ORDER BY version`);
    return result.rows.map((r) => r.version);
  }

  /** Reads one entity as last committed. */
  async get(id: string): Promise<StoredEntity | undefined> {
    this.assertOpen();
    return getEntity(this.pool, this.s, id);
  }

  /** Lists one kind (optionally below one parent) as last committed. */
  async list(options: ListOptions): Promise<ListResult> {
    this.assertOpen();
    pageOf(options);
    const client = await this.pool.connect();
    try {
      // One snapshot for the total and the page.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await listEntities(client, this.s, options);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /** Every entity, ordered by id (case-insensitively). */
  async all(): Promise<StoredEntity[]> {
    this.assertOpen();
    const result = await this.pool.query<EntityRow>(`SELECT ${ENTITY_COLUMNS} FROM ${this.s}.entities ORDER BY key`);
    return result.rows.map(toEntity);
  }

  /** The number of committed writing transactions. */
  async version(): Promise<number> {
    this.assertOpen();
    const result = await this.pool.query<{ version: string }>(`SELECT version FROM ${this.s}.config_version WHERE id = 1`);
    return Number(result.rows[0]!.version);
  }

  /**
   * Tells `watcher` each committed version (of any instance on this schema) as it commits, over
   * one listening connection shared by this store's watchers and closed with the last of them.
   */
  watchVersion(watcher: VersionWatcher): () => Promise<void> {
    this.assertOpen();
    if (!this.listener) {
      this.listener = new PostgresChangeListener({
        connectionString: this.connectionString,
        channel: this.channel,
        applicationName: listenerApplicationName(),
        firstRetryMs: this.listenerRetryMs,
      });
      this.listener.start();
    }
    const listener = this.listener;
    listener.add(watcher);
    return async () => {
      if (!listener.remove(watcher) || this.listener !== listener) return;
      this.listener = null;
      await listener.stop();
    };
  }

  /** Audit records at or after `since`, the newest `limit` of them, oldest first. */
  async audit(options: { since?: string; limit?: number } = {}): Promise<AuditRecord[]> {
    this.assertOpen();
    const result = await this.pool.query<AuditRow>(
      `SELECT * FROM (
         SELECT seq, at, actor, action, kind, id, etag_before, etag_after FROM ${this.s}.audit_log
         WHERE at >= $1 ORDER BY seq DESC LIMIT $2
       ) newest ORDER BY seq`,
      [options.since ?? '', options.limit ?? null],
    );
    return result.rows.map(toAudit);
  }

  /** Runs `work` in one transaction on one pooled connection; rolls back on any throw. */
  async transaction<T>(actor: string, work: (tx: EntityTransaction) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.insideTransaction.current) {
      throw new Error('EntityStore.transaction was called inside a transaction: use the transaction passed to the work');
    }
    return this.retried((client) => this.attempt(client, actor, work));
  }

  /** Upserts an instance's heartbeat and applies the retention, in one transaction of its own. */
  async recordHeartbeat(gatewayId: string, report: HeartbeatReport): Promise<boolean> {
    this.assertOpen();
    checkId(gatewayId);
    try {
      return await this.retried((client) => this.heartbeatAttempt(client, entityKey(gatewayId), report));
    } catch (error) {
      if (errorCode(error) === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  /** The gateway's instances heard from within the retention, the latest recorded first. */
  async listHeartbeats(gatewayId: string): Promise<GatewayHeartbeat[]> {
    this.assertOpen();
    checkId(gatewayId);
    const result = await this.pool.query<HeartbeatRow>(
      `SELECT ${HEARTBEAT_COLUMNS} FROM ${this.s}.gateway_heartbeats WHERE gateway_key = $1 AND last_heartbeat >= $2 ORDER BY seq DESC`,
      [entityKey(gatewayId), heartbeatCutoff(this.clock.now())],
    );
    return result.rows.map(toHeartbeat);
  }

  /**
   * Runs `attempt` (which begins and commits its transaction) on a pooled connection, rolling
   * back on a throw and running it again after a transient conflict, a bounded number of times.
   */
  private async retried<T>(attempt: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        return await attempt(client);
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: the pool must not hand it out again.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        if (!broken && tries < this.maxAttempts && RETRYABLE_CODES.has(errorCode(error))) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * tries));
          continue;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  /** Ends the pool once its connections are idle. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    await listener?.stop();
    await this.pool.end();
  }

  private async attempt<T>(client: pg.PoolClient, actor: string, work: (tx: EntityTransaction) => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    // The writers' lock (see the top of this file): waits for any other writing transaction.
    await client.query(`SELECT version FROM ${this.s}.config_version WHERE id = 1 FOR UPDATE`);
    const tx = new PostgresTransaction(client, this.s, actor, () => this.nowIso());
    let result: T;
    try {
      result = await this.insideTransaction.run(true, () => work(tx));
    } catch (error) {
      tx.abandon();
      throw error;
    }
    tx.end();
    if (tx.wrote) {
      const bumped = await client.query<{ version: string }>(`UPDATE ${this.s}.config_version SET version = version + 1 WHERE id = 1 RETURNING version`);
      // Delivered at COMMIT and only if it commits: the listeners never hear of a rolled-back write.
      await client.query('SELECT pg_notify($1, $2)', [this.channel, String(bumped.rows[0]!.version)]);
    }
    await client.query('COMMIT');
    return result;
  }

  /**
   * Upserts the beat of `report.instanceId` below the gateway keyed `gatewayKey` (nothing when no
   * entity has that key), then deletes every entry past the retention.
   */
  private async heartbeatAttempt(client: pg.PoolClient, gatewayKey: string, report: HeartbeatReport): Promise<boolean> {
    const now = this.clock.now();
    const at = new Date(now).toISOString();
    await client.query('BEGIN');
    // Heartbeat writers take turns (see the top of this file); the lock ends with the transaction.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gatehouse.heartbeats.${this.schema}`]);
    const written = await client.query(
      `INSERT INTO ${this.s}.gateway_heartbeats (gateway_key, instance_id, hostname, version, first_heartbeat, last_heartbeat, seq)
       SELECT $1, $2, $3, $4, $5, $5,
         (SELECT coalesce(max(seq), 0) + 1 FROM ${this.s}.gateway_heartbeats WHERE gateway_key = $1)
       WHERE EXISTS (SELECT 1 FROM ${this.s}.entities WHERE key = $1)
       ON CONFLICT (gateway_key, instance_id) DO UPDATE SET hostname = excluded.hostname, version = excluded.version,
         last_heartbeat = excluded.last_heartbeat, seq = excluded.seq`,
      [gatewayKey, report.instanceId, report.hostname, report.version, at],
    );
    if (written.rowCount === 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(`DELETE FROM ${this.s}.gateway_heartbeats WHERE last_heartbeat < $1`, [heartbeatCutoff(now)]);
    // Everything from the (N+1)-th latest down; NULL (nothing) while N or fewer are kept.
    await client.query(
      `DELETE FROM ${this.s}.gateway_heartbeats WHERE gateway_key = $1 AND seq <= (
         SELECT seq FROM ${this.s}.gateway_heartbeats WHERE gateway_key = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2)`,
      [gatewayKey, heartbeatRetention.instancesPerGateway],
    );
    await client.query('COMMIT');
    return true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the entity store is closed');
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** The reads and writes of one open transaction on its pooled connection. */
class PostgresTransaction implements EntityTransaction {
  wrote = false;
  private ended = false;
  private running = 0;
  private readonly calls = new AsyncMutex();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly s: string,
    private readonly actor: string,
    private readonly nowIso: () => string,
  ) {}

  async get(id: string): Promise<StoredEntity | undefined> {
    return this.step(() => getEntity(this.client, this.s, id));
  }

  async list(options: ListOptions): Promise<ListResult> {
    return this.step(() => listEntities(this.client, this.s, options));
  }

  async put(
    entity: { kind: string; id: string; parent: string; body: Record<string, unknown> },
    condition?: WriteCondition,
  ): Promise<StoredEntity> {
    return this.step(async () => {
      checkEntityShape(entity);
      const key = entityKey(entity.id);
      const existing = (
        await this.query<{ id: string; etag: string }>(`SELECT id, etag FROM ${this.s}.entities WHERE key = $1`, [key])
      ).rows[0];
      checkCondition(entity.id, existing?.etag, condition);
      const stored: EntityRow = {
        kind: entity.kind,
        id: existing?.id ?? entity.id,
        parent: entity.parent,
        body: JSON.stringify(entity.body),
        etag: newEtag(),
        updated_at: this.nowIso(),
      };
      await this.query(
        `INSERT INTO ${this.s}.entities (key, id, kind, parent_key, parent, body, etag, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, parent_key = excluded.parent_key,
           parent = excluded.parent, body = excluded.body, etag = excluded.etag, updated_at = excluded.updated_at`,
        [key, stored.id, stored.kind, entityKey(entity.parent), stored.parent, stored.body, stored.etag, stored.updated_at],
      );
      await this.record('put', stored.kind, stored.id, existing?.etag ?? null, stored.etag, stored.updated_at);
      this.wrote = true;
      return toEntity(stored);
    });
  }

  async delete(id: string, condition?: WriteCondition): Promise<boolean> {
    return this.step(async () => {
      checkId(id);
      const key = entityKey(id);
      const existing = (await this.query<{ etag: string }>(`SELECT etag FROM ${this.s}.entities WHERE key = $1`, [key])).rows[0];
      checkCondition(id, existing?.etag, condition);
      if (!existing) return false;
      const { lower, upper } = descendantRange(key);
      const where = 'key = $1 OR (key >= $2 AND key < $3)';
      const victims = await this.query<{ kind: string; id: string; etag: string }>(
        `SELECT kind, id, etag FROM ${this.s}.entities WHERE ${where} ORDER BY key`,
        [key, lower, upper],
      );
      await this.query(`DELETE FROM ${this.s}.entities WHERE ${where}`, [key, lower, upper]);
      const at = this.nowIso();
      for (const victim of victims.rows) await this.record('delete', victim.kind, victim.id, victim.etag, null, at);
      this.wrote = true;
      return true;
    });
  }

  /**
   * Closes this transaction object. Work that returned while a call of its was still running
   * forgot an `await`: committing then would split that call, so it fails the transaction.
   */
  end(): void {
    this.ended = true;
    if (this.running > 0) throw new Error('the transaction work returned while a store call was still running (missing await?)');
  }

  /** Closes this transaction object after its work threw: it rolls back whatever still runs. */
  abandon(): void {
    this.ended = true;
  }

  private async step<T>(operation: () => Promise<T>): Promise<T> {
    this.assertActive();
    this.running++;
    try {
      // One call at a time, so calls made together (Promise.all) cannot interleave their
      // read-then-write statements on the shared connection.
      return await this.calls.run(operation);
    } finally {
      this.running--;
    }
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    // Checked before every statement, so nothing of a stray call runs after commit or rollback.
    this.assertActive();
    return this.client.query<R>(text, values);
  }

  private async record(
    action: 'put' | 'delete',
    kind: string,
    id: string,
    before: string | null,
    after: string | null,
    at: string,
  ): Promise<void> {
    await this.query(
      `INSERT INTO ${this.s}.audit_log (at, actor, action, kind, id, etag_before, etag_after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [at, this.actor, action, kind, id, before, after],
    );
  }

  private assertActive(): void {
    if (this.ended) throw new Error('the transaction has already ended');
  }
}

async function getEntity(db: Queryable, s: string, id: string): Promise<StoredEntity | undefined> {
  checkId(id);
  const result = await db.query<EntityRow>(`SELECT ${ENTITY_COLUMNS} FROM ${s}.entities WHERE key = $1`, [entityKey(id)]);
  const row = result.rows[0];
  return row ? toEntity(row) : undefined;
}

async function listEntities(db: Queryable, s: string, options: ListOptions): Promise<ListResult> {
  const { skip, top } = pageOf(options);
  const where = options.parent === undefined ? 'kind = $1' : 'kind = $1 AND parent_key = $2';
  const params: unknown[] = options.parent === undefined ? [options.kind] : [options.kind, entityKey(options.parent)];
  const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.entities WHERE ${where}`, params);
  const page = await db.query<EntityRow>(
    `SELECT ${ENTITY_COLUMNS} FROM ${s}.entities WHERE ${where} ORDER BY key LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, top ?? null, skip],
  );
  return { items: page.rows.map(toEntity), total: Number(count.rows[0]!.n) };
}

/** `gatehouse change listener (pid N)`: how the listening connection shows in `pg_stat_activity`. */
export function listenerApplicationName(pid = process.pid): string {
  return `gatehouse change listener (pid ${pid})`;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}

